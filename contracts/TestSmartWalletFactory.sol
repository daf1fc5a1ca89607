// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {TestSmartWallet} from "./TestSmartWallet.sol";

/// @title A CREATE2 factory for TestSmartWallet: the counterfactual (ERC-6492) wallet of tests.
/// @notice A wallet's address is known before it exists (owner + salt), so it can receive USDC and
/// sign (an ERC-6492 wrapper naming this factory and `createAccount`'s calldata) before anyone
/// deploys it. The local stack deploys this factory and lets the x402 facilitator call it.
contract TestSmartWalletFactory {
    event WalletCreated(address indexed wallet, address indexed owner, bytes32 salt);

    /// @notice Deploys the wallet, or returns it when it already exists: a second deployment
    /// attempt (a verifier's simulation, a settlement racing another) must not revert.
    function createAccount(address owner, bytes32 salt) external returns (address wallet) {
        wallet = getAddress(owner, salt);
        if (wallet.code.length > 0) return wallet;
        TestSmartWallet created = new TestSmartWallet{salt: salt}(owner);
        emit WalletCreated(address(created), owner, salt);
        return address(created);
    }

    /// @notice Where `createAccount(owner, salt)` puts the wallet (CREATE2: this factory, salt, init code).
    function getAddress(address owner, bytes32 salt) public view returns (address) {
        bytes32 initCodeHash = keccak256(abi.encodePacked(type(TestSmartWallet).creationCode, abi.encode(owner)));
        return address(uint160(uint256(keccak256(abi.encodePacked(bytes1(0xff), address(this), salt, initCodeHash)))));
    }
}

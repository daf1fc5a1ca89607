// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {TestSmartWallet} from "./TestSmartWallet.sol";

/// @title A griefing wallet for tests: its owner's signature is valid only when plenty of gas is left.
/// @notice An `eth_call` at the node's gas cap sees a valid signature; a settlement sent with a normal
/// gas limit sees an invalid one and reverts, at the relayer's cost, unless the relayer simulates
/// with the transaction's own gas limit.
contract TestGasGatedWallet is TestSmartWallet {
    constructor(address owner_) TestSmartWallet(owner_) {}

    function isValidSignature(bytes32 hash, bytes calldata signature) public view override returns (bytes4) {
        if (gasleft() < 1_000_000) return 0xffffffff;
        return super.isValidSignature(hash, signature);
    }
}

/// @title A CREATE2 factory for TestGasGatedWallet: the same griefing wallet, counterfactual (ERC-6492).
/// @notice Its deploy-then-transfer simulation passes at the node's call gas cap; the settlement,
/// sent with a normal gas limit, would revert after the relayer paid for the deployment.
contract TestGasGatedWalletFactory {
    function createAccount(address owner, bytes32 salt) external returns (address wallet) {
        wallet = getAddress(owner, salt);
        if (wallet.code.length > 0) return wallet;
        return address(new TestGasGatedWallet{salt: salt}(owner));
    }

    function getAddress(address owner, bytes32 salt) public view returns (address) {
        bytes32 initCodeHash = keccak256(abi.encodePacked(type(TestGasGatedWallet).creationCode, abi.encode(owner)));
        return address(uint160(uint256(keccak256(abi.encodePacked(bytes1(0xff), address(this), salt, initCodeHash)))));
    }
}

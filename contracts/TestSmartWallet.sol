// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IERC1271} from "@openzeppelin/contracts/interfaces/IERC1271.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";

/// @title A stand-in smart-contract wallet for tests: an ERC-1271 signer controlled by one EOA.
/// @notice Lets tests prove that the token (and the x402 facilitator) accept payments from contract
/// wallets, which sign with their owner's key but hold the funds at the contract's address.
contract TestSmartWallet is IERC1271 {
    address public immutable owner;

    constructor(address owner_) {
        owner = owner_;
    }

    /// @notice The owner acts as the wallet (a plain USDC transfer, say): the funds move from this address.
    function execute(address target, bytes calldata data) external returns (bytes memory) {
        require(msg.sender == owner, "TestSmartWallet: not the owner");
        (bool ok, bytes memory result) = target.call(data);
        if (!ok) {
            assembly {
                revert(add(result, 32), mload(result))
            }
        }
        return result;
    }

    function isValidSignature(bytes32 hash, bytes calldata signature) public view virtual returns (bytes4) {
        // tryRecover, not recover: a malformed signature must answer "invalid", not revert.
        (address recovered, ECDSA.RecoverError err, ) = ECDSA.tryRecover(hash, signature);
        if (err == ECDSA.RecoverError.NoError && recovered == owner) return IERC1271.isValidSignature.selector;
        return 0xffffffff;
    }
}

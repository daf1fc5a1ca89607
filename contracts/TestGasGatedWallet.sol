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

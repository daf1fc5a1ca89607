// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title A minimal Multicall3 for the local chain.
/// @notice anvil ships no contract at 0xcA11bde05977b3631167028862bE2a173976CA11; the deploy script
/// places this runtime code there with anvil_setCode. The official x402 EVM facilitator calls
/// `tryAggregate(false, calls)` through eth_call to explain a failed simulation (balance, name,
/// version, authorizationState) and to run an ERC-6492 factory call before the transfer;
/// viem's `multicall` uses `aggregate3`. The ABI matches the canonical Multicall3 for these.
/// It has no constructor and no immutables, so the runtime bytecode works when planted directly.
contract Multicall3 {
    struct Call {
        address target;
        bytes callData;
    }

    struct Call3 {
        address target;
        bool allowFailure;
        bytes callData;
    }

    struct Result {
        bool success;
        bytes returnData;
    }

    function aggregate(
        Call[] calldata calls
    ) external payable returns (uint256 blockNumber, bytes[] memory returnData) {
        blockNumber = block.number;
        returnData = new bytes[](calls.length);
        for (uint256 i = 0; i < calls.length; i++) {
            (bool success, bytes memory ret) = calls[i].target.call(calls[i].callData);
            require(success, "Multicall3: call failed");
            returnData[i] = ret;
        }
    }

    // A real CALL, not STATICCALL: the ERC-6492 path relies on the factory's deployment being
    // visible to the next call within the same eth_call.
    function tryAggregate(
        bool requireSuccess,
        Call[] calldata calls
    ) public payable returns (Result[] memory returnData) {
        returnData = new Result[](calls.length);
        for (uint256 i = 0; i < calls.length; i++) {
            (bool success, bytes memory ret) = calls[i].target.call(calls[i].callData);
            if (requireSuccess) require(success, "Multicall3: call failed");
            returnData[i] = Result(success, ret);
        }
    }

    function aggregate3(Call3[] calldata calls) external payable returns (Result[] memory returnData) {
        returnData = new Result[](calls.length);
        for (uint256 i = 0; i < calls.length; i++) {
            Call3 calldata call = calls[i];
            (bool success, bytes memory ret) = call.target.call(call.callData);
            // Canonical Multicall3 reverts with this exact message; callers match on it.
            if (!success && !call.allowFailure) revert("Multicall3: call failed");
            returnData[i] = Result(success, ret);
        }
    }
}

// EIP-3009's TransferWithAuthorization as EIP-712 types: what the payer signs in the `exact`
// scheme (spec: schemes/exact/scheme_exact_evm.md), with the token's own name/version domain.
export const transferWithAuthorizationTypes = {
  TransferWithAuthorization: [
    { name: "from", type: "address" },
    { name: "to", type: "address" },
    { name: "value", type: "uint256" },
    { name: "validAfter", type: "uint256" },
    { name: "validBefore", type: "uint256" },
    { name: "nonce", type: "bytes32" },
  ],
} as const;

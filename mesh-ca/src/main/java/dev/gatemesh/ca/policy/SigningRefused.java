package dev.gatemesh.ca.policy;

/** The CA will not sign: the reason is typed (for status codes and audit) and the message says what to fix. */
public final class SigningRefused extends Exception {

    public enum Reason {
        MALFORMED_CSR, BAD_SIGNATURE, WRONG_KEY_TYPE, IDENTITY_MISMATCH, EXTRA_SANS, FOREIGN_TRUST_DOMAIN, TTL_INVALID,
        TTL_TOO_LONG
    }

    private final Reason reason;

    public SigningRefused(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}

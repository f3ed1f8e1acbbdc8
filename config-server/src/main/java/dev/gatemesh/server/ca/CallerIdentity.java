package dev.gatemesh.server.ca;

import dev.gatemesh.ca.pki.SpiffeId;

/**
 * Proves who a caller of the CA is, from its credential. Implementations refuse rather than guess:
 * the CA signs only what this returns.
 */
public interface CallerIdentity {

    /** Why a credential proves nothing: shown to the caller (401) and written to the audit log. */
    final class NotProven extends Exception {
        public NotProven(String message) {
            super(message);
        }
    }

    /**
     * @param credential the bearer credential the caller presented
     * @param claim      what the caller says it is, where the credential alone does not say (local mode: the
     *                   {@code namespace/name} of its WorkloadEntry); may be null
     */
    SpiffeId prove(String credential, String claim) throws NotProven;

    /** A short name of the credential kind for logs: {@code bootstrap-token}, {@code kubernetes-token}. */
    String kind();

    /** Whether {@link #prove} waits on the network (a TokenReview), so that it must run where blocking is allowed. */
    default boolean blocks() {
        return false;
    }
}

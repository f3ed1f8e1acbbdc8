package dev.gatemesh.ca.identity;

/** A certificate could not be obtained: the CA refused, could not be reached, or returned something unusable. */
public final class IssueFailed extends Exception {

    public IssueFailed(String message) {
        super(message);
    }
}

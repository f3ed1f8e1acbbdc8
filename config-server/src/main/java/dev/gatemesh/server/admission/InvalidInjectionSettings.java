package dev.gatemesh.server.admission;

/** A {@code gatemesh.server.injection.*} setting the injector cannot use: the config server does not start with it. */
public final class InvalidInjectionSettings extends RuntimeException {

    public InvalidInjectionSettings(String message, Throwable cause) {
        super(message, cause);
    }
}

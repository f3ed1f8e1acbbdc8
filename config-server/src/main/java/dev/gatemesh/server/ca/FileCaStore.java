package dev.gatemesh.server.ca;

import dev.gatemesh.ca.CaMaterial;
import dev.gatemesh.ca.TrustBundle;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;

/**
 * Local mode: a plugged-in CA in Istio's cacerts layout ({@code gatemesh.server.ca.cacerts}), or a root
 * generated into {@code <home>/ca}; the trust bundle is published as {@code <home>/root-cert.pem}.
 */
public final class FileCaStore implements CaStore {

    public static final String TRUST_BUNDLE_FILE = "root-cert.pem";

    private final Path home;
    private final Path pluggedIn;
    private final String trustDomain;
    private final Clock clock;
    private final SecureRandom random;

    public FileCaStore(Path home, Path pluggedIn, String trustDomain, Clock clock, SecureRandom random) {
        this.home = home;
        this.pluggedIn = pluggedIn;
        this.trustDomain = trustDomain;
        this.clock = clock;
        this.random = random;
    }

    @Override
    public CaMaterial loadOrCreate() {
        if (pluggedIn != null) {
            return CaMaterial.load(pluggedIn);
        }
        return CaMaterial.loadOrCreate(home.resolve("ca"), trustDomain, clock, random);
    }

    @Override
    public void publish(TrustBundle bundle) {
        try {
            Path published = home.resolve(TRUST_BUNDLE_FILE);
            if (Files.exists(published) && Files.readString(published).equals(bundle.pem())) {
                return;
            }
            Files.createDirectories(home);
            Path temporary = home.resolve("." + TRUST_BUNDLE_FILE + ".tmp");
            Files.writeString(temporary, bundle.pem());
            Files.move(temporary, home.resolve(TRUST_BUNDLE_FILE), java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot publish the trust bundle into " + home + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String describe() {
        return pluggedIn != null ? "plugged-in CA " + pluggedIn : "root in " + home.resolve("ca");
    }
}

package dev.gatemesh.server.ca;

import dev.gatemesh.api.model.Kind;
import dev.gatemesh.api.model.Resource;
import dev.gatemesh.api.model.WorkloadEntry;
import dev.gatemesh.ca.pki.SpiffeId;
import dev.gatemesh.server.push.MeshConfigStore;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;

/**
 * Local mode: the caller holds the bootstrap token from the config server's home folder and claims a
 * WorkloadEntry ({@code namespace/name}); it is proven to be that workload's service account in that
 * namespace. Whoever can read the home folder can claim any workload there: local mode trusts the
 * machine's user, as the folder of YAML does.
 */
public final class BootstrapTokenIdentity implements CallerIdentity {

    private final byte[] token;
    private final MeshConfigStore store;
    private final String trustDomain;

    public BootstrapTokenIdentity(String token, MeshConfigStore store, String trustDomain) {
        this.token = token.getBytes(StandardCharsets.UTF_8);
        this.store = store;
        this.trustDomain = trustDomain;
    }

    @Override
    public SpiffeId prove(String credential, String claim) throws NotProven {
        if (credential == null || !MessageDigest.isEqual(token, credential.getBytes(StandardCharsets.UTF_8))) {
            throw new NotProven("the credential is not the bootstrap token");
        }
        if (claim == null || !claim.contains("/")) {
            throw new NotProven("name the WorkloadEntry this proxy runs for, as namespace/name (field \"workload\")");
        }
        String namespace = claim.substring(0, claim.indexOf('/'));
        String name = claim.substring(claim.indexOf('/') + 1);
        Optional<Resource<?>> entry = store.current().resources().stream()
                .filter(r -> r.kind() == Kind.WORKLOAD_ENTRY && r.namespace().equals(namespace) && r.name().equals(name))
                .findFirst();
        if (entry.isEmpty()) {
            throw new NotProven("there is no WorkloadEntry " + claim);
        }
        String serviceAccount = entry.get().as(WorkloadEntry.class).spec().serviceAccount();
        return new SpiffeId(trustDomain, namespace, serviceAccount == null ? "default" : serviceAccount);
    }

    @Override
    public String kind() {
        return "bootstrap-token";
    }
}

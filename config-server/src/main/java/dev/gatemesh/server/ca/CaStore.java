package dev.gatemesh.server.ca;

import dev.gatemesh.ca.CaMaterial;
import dev.gatemesh.ca.TrustBundle;

/** Where the CA's material lives and where its trust bundle is published. */
public interface CaStore {

    /**
     * The plugged-in CA if there is one, else the generated root, generating and saving it on first start.
     * Called again periodically: what it returns then is the material in force (a root rotation step).
     */
    CaMaterial loadOrCreate();

    /**
     * Makes the trust bundle available to workloads (a file locally, ConfigMaps in a cluster). Called again
     * periodically, so it writes only what is missing or different (a new namespace gets its ConfigMap).
     */
    void publish(TrustBundle bundle);

    String describe();
}

package dev.gatemesh.proxy.boot;

import dev.gatemesh.proxy.runtime.SidecarConfigurationException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** A sidecar that cannot start says why and what to set, in two lines instead of a stack trace. */
public final class SidecarConfigurationFailureAnalyzer extends AbstractFailureAnalyzer<SidecarConfigurationException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, SidecarConfigurationException cause) {
        return new FailureAnalysis("The sidecar " + cause.getMessage() + ".", "Set " + cause.action() + ".", cause);
    }
}

package dev.gatemesh.server.admission;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** An unusable injection setting is reported as the setting, its value and what is expected; no stack trace. */
public final class InjectionSettingsFailureAnalyzer extends AbstractFailureAnalyzer<InvalidInjectionSettings> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, InvalidInjectionSettings cause) {
        return new FailureAnalysis("The sidecar injector's settings cannot be used: " + cause.getMessage() + ".",
                "Correct the setting (a Helm value under injection, or the property itself).", cause);
    }
}

package dev.gatemesh.proxy.boot;

import dev.gatemesh.proxy.ratelimit.RateLimitConfigurationException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Bad rate-limit properties: every problem with its property path, instead of a stack trace. */
public final class RateLimitFailureAnalyzer extends AbstractFailureAnalyzer<RateLimitConfigurationException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, RateLimitConfigurationException cause) {
        return new FailureAnalysis("The gateway's rate limits are not valid:\n  " + String.join("\n  ", cause.problems()),
                "Correct the gatemesh.gateway.rate-limits properties named above.", cause);
    }
}

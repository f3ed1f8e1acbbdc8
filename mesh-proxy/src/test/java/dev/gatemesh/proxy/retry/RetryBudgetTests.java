package dev.gatemesh.proxy.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import org.junit.jupiter.api.Test;

class RetryBudgetTests {

    @Test
    void allowsTwentyPercentOfActiveRequestsButAtLeastThree() {
        RetryBudget budget = new RetryBudget(20, 3);
        assertThat(budget.allowedRetries(0)).isEqualTo(3);
        assertThat(budget.allowedRetries(10)).isEqualTo(3);
        assertThat(budget.allowedRetries(20)).isEqualTo(4);
        assertThat(budget.allowedRetries(100)).isEqualTo(20);
    }

    @Test
    void refusesARetryBeyondTheBudgetUntilOneFinishes() {
        RetryBudget budget = new RetryBudget(20, 3);
        for (int i = 0; i < 5; i++) {
            budget.requestStarted();
        }
        assertThat(budget.tryStartRetry()).isTrue();
        assertThat(budget.tryStartRetry()).isTrue();
        assertThat(budget.tryStartRetry()).isTrue();
        assertThat(budget.tryStartRetry()).as("a fourth retry in flight").isFalse();
        budget.retryFinished();
        assertThat(budget.tryStartRetry()).isTrue();
        assertThat(budget.activeRetries()).isEqualTo(3);
    }

    @Test
    void growsWithTheRequestsInFlight() {
        RetryBudget budget = new RetryBudget(20, 3);
        for (int i = 0; i < 50; i++) {
            budget.requestStarted();
        }
        int allowed = 0;
        while (budget.tryStartRetry()) {
            allowed++;
        }
        assertThat(allowed).isEqualTo(10);
    }

    @Test
    void rejectsAPercentOutOfRange() {
        assertThatIllegalArgumentException().isThrownBy(() -> new RetryBudget(120, 3));
        assertThatIllegalArgumentException().isThrownBy(() -> new RetryBudget(20, -1));
    }
}

package dev.gatemesh.server.admission;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class IptablesRulesTests {

    @Test
    void outboundTcpIsRedirectedToTheSidecarExceptItsOwnUserLoopbackAndExclusionsInThatOrder() {
        var rules = new IptablesRules(1337, 15001, List.of(443), List.of("10.96.0.1/32"));

        assertThat(rules.commands()).containsExactly(
                List.of("iptables", "-t", "nat", "-N", "GATEMESH_OUTPUT"),
                List.of("iptables", "-t", "nat", "-A", "OUTPUT", "-p", "tcp", "-j", "GATEMESH_OUTPUT"),
                List.of("iptables", "-t", "nat", "-A", "GATEMESH_OUTPUT", "-m", "owner", "--uid-owner", "1337", "-j", "RETURN"),
                List.of("iptables", "-t", "nat", "-A", "GATEMESH_OUTPUT", "-o", "lo", "-j", "RETURN"),
                List.of("iptables", "-t", "nat", "-A", "GATEMESH_OUTPUT", "-d", "127.0.0.0/8", "-j", "RETURN"),
                List.of("iptables", "-t", "nat", "-A", "GATEMESH_OUTPUT", "-p", "tcp", "--dport", "443", "-j", "RETURN"),
                List.of("iptables", "-t", "nat", "-A", "GATEMESH_OUTPUT", "-d", "10.96.0.1/32", "-j", "RETURN"),
                List.of("iptables", "-t", "nat", "-A", "GATEMESH_OUTPUT", "-p", "tcp", "-j", "REDIRECT", "--to-ports", "15001"));
    }

    @Test
    void theScriptStopsAtTheFirstFailureAndListsTheInstalledRules() {
        String script = new IptablesRules(1337, 15001, List.of(), List.of()).script();

        assertThat(script).startsWith("set -eu\niptables -t nat -N GATEMESH_OUTPUT\n")
                .endsWith("iptables -t nat -A GATEMESH_OUTPUT -p tcp -j REDIRECT --to-ports 15001\n"
                        + "iptables -t nat -S GATEMESH_OUTPUT\n");
    }
}

package dev.gatemesh.server.admission;

import java.util.ArrayList;
import java.util.List;

/**
 * The NAT rules the init container installs in the pod's network namespace (IPv4), as Istio's {@code istio-init}
 * does for outbound traffic: every TCP connection the pod opens is redirected to the sidecar's outbound listener,
 * except connections of the sidecar's own user (its calls to peers and to the control plane), connections to
 * loopback (the app and the sidecar talking on localhost), and the destination ports and ranges the pod excludes.
 * Inbound traffic is not redirected: mesh peers dial the sidecar's inbound port directly (the registry reads it
 * from the pod's {@code sidecar.gatemesh.dev/inboundPort} annotation). UDP (DNS) is never touched.
 *
 * @param proxyUid       the sidecar's uid
 * @param outboundPort   the sidecar's outbound listener
 * @param excludedPorts  destination ports left alone
 * @param excludedRanges destination CIDRs left alone
 */
public record IptablesRules(long proxyUid, int outboundPort, List<Integer> excludedPorts, List<String> excludedRanges) {

    /** The pod's own chain, so that the rules are easy to find and to remove. */
    public static final String CHAIN = "GATEMESH_OUTPUT";

    public IptablesRules {
        excludedPorts = List.copyOf(excludedPorts);
        excludedRanges = List.copyOf(excludedRanges);
    }

    /** Each {@code iptables} invocation, as an argument list, in the order they must run. */
    public List<List<String>> commands() {
        List<List<String>> out = new ArrayList<>();
        out.add(List.of("iptables", "-t", "nat", "-N", CHAIN));
        out.add(List.of("iptables", "-t", "nat", "-A", "OUTPUT", "-p", "tcp", "-j", CHAIN));
        out.add(List.of("iptables", "-t", "nat", "-A", CHAIN, "-m", "owner", "--uid-owner", Long.toString(proxyUid),
                "-j", "RETURN"));
        out.add(List.of("iptables", "-t", "nat", "-A", CHAIN, "-o", "lo", "-j", "RETURN"));
        out.add(List.of("iptables", "-t", "nat", "-A", CHAIN, "-d", "127.0.0.0/8", "-j", "RETURN"));
        for (int port : excludedPorts) {
            out.add(List.of("iptables", "-t", "nat", "-A", CHAIN, "-p", "tcp", "--dport", Integer.toString(port), "-j",
                    "RETURN"));
        }
        for (String range : excludedRanges) {
            out.add(List.of("iptables", "-t", "nat", "-A", CHAIN, "-d", range, "-j", "RETURN"));
        }
        out.add(List.of("iptables", "-t", "nat", "-A", CHAIN, "-p", "tcp", "-j", "REDIRECT", "--to-ports",
                Integer.toString(outboundPort)));
        return out;
    }

    /**
     * The commands as one POSIX shell script for {@code sh -c}: it stops at the first failure (so the pod does not
     * start half-redirected) and lists the rules it installed in the init container's log.
     */
    public String script() {
        StringBuilder out = new StringBuilder("set -eu\n");
        for (List<String> command : commands()) {
            out.append(String.join(" ", command)).append('\n');
        }
        out.append("iptables -t nat -S ").append(CHAIN).append('\n');
        return out.toString();
    }
}

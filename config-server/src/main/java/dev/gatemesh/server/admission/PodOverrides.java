package dev.gatemesh.server.admission;

import dev.gatemesh.api.validate.IpAddresses;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The per-pod settings a pod's annotations choose, read and checked in one place: every value that cannot be used is
 * reported with its annotation, the value and what is expected, so a pod is never injected half as asked.
 *
 * @param redirect             the redirect mode in force for this pod
 * @param requests             the sidecar's requests in force
 * @param limits               the sidecar's limits in force
 * @param excludedPorts        destination ports the iptables redirect leaves alone
 * @param excludedRanges       destination CIDRs the iptables redirect leaves alone
 * @param problems             what could not be used (empty when the pod can be injected)
 */
public record PodOverrides(RedirectMode redirect, Map<String, String> requests, Map<String, String> limits,
                           List<Integer> excludedPorts, List<String> excludedRanges, List<String> problems) {

    public PodOverrides {
        requests = Map.copyOf(requests);
        limits = Map.copyOf(limits);
        excludedPorts = List.copyOf(excludedPorts);
        excludedRanges = List.copyOf(excludedRanges);
        problems = List.copyOf(problems);
    }

    static PodOverrides read(Map<String, String> annotations, InjectionSettings settings) {
        List<String> problems = new ArrayList<>();
        RedirectMode redirect = settings.redirect();
        String redirectText = annotations.get(InjectionAnnotations.REDIRECT);
        if (redirectText != null) {
            try {
                redirect = RedirectMode.parse(redirectText);
            } catch (IllegalArgumentException e) {
                problems.add(field(InjectionAnnotations.REDIRECT) + ": " + e.getMessage());
            }
        }
        Map<String, String> requests = new LinkedHashMap<>(settings.requests());
        Map<String, String> limits = new LinkedHashMap<>(settings.limits());
        quantity(annotations, InjectionAnnotations.PROXY_CPU, "cpu", requests, problems);
        quantity(annotations, InjectionAnnotations.PROXY_MEMORY, "memory", requests, problems);
        quantity(annotations, InjectionAnnotations.PROXY_CPU_LIMIT, "cpu", limits, problems);
        quantity(annotations, InjectionAnnotations.PROXY_MEMORY_LIMIT, "memory", limits, problems);
        List<Integer> ports = new ArrayList<>(settings.excludedOutboundPorts());
        for (String item : items(annotations.get(InjectionAnnotations.EXCLUDE_OUTBOUND_PORTS))) {
            Integer port = parsePort(item);
            if (port == null) {
                problems.add(field(InjectionAnnotations.EXCLUDE_OUTBOUND_PORTS) + ": \"" + item
                        + "\" is not a port; expected comma-separated numbers between 1 and 65535");
            } else if (!ports.contains(port)) {
                ports.add(port);
            }
        }
        List<String> ranges = new ArrayList<>();
        for (String item : items(annotations.get(InjectionAnnotations.EXCLUDE_OUTBOUND_IP_RANGES))) {
            if (!IpAddresses.isIpv4(item.split("/", 2)[0]) || !IpAddresses.isIpOrCidr(item)) {
                problems.add(field(InjectionAnnotations.EXCLUDE_OUTBOUND_IP_RANGES) + ": \"" + item
                        + "\" is not an IPv4 address or CIDR; expected e.g. 10.96.0.1/32");
            } else {
                ranges.add(item);
            }
        }
        return new PodOverrides(redirect, requests, limits, ports, ranges, problems);
    }

    /** The field path of an annotation, as a message names it. */
    static String field(String annotation) {
        return "metadata.annotations[\"" + annotation + "\"]";
    }

    private static void quantity(Map<String, String> annotations, String annotation, String resource,
                                 Map<String, String> target, List<String> problems) {
        String text = annotations.get(annotation);
        if (text == null) {
            return;
        }
        String value = text.trim();
        if (!isQuantity(value)) {
            problems.add(field(annotation) + ": \"" + text + "\" is not a quantity; expected e.g. "
                    + ("cpu".equals(resource) ? "100m or 0.5" : "128Mi or 1Gi"));
            return;
        }
        target.put(resource, value);
    }

    static boolean isQuantity(String value) {
        if (value.isEmpty() || !value.matches("[+]?[0-9.]+([eE][+-]?[0-9]+|[a-zA-Z]{1,2})?")) {
            return false;
        }
        try {
            Quantity.getAmountInBytes(new Quantity(value));
            return true;
        } catch (IllegalArgumentException | ArithmeticException e) {
            return false;
        }
    }

    private static List<String> items(String text) {
        if (text == null) {
            return List.of();
        }
        return java.util.Arrays.stream(text.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    private static Integer parsePort(String text) {
        try {
            int port = Integer.parseInt(text);
            return port >= 1 && port <= 65535 ? port : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }
}

package dev.gatemesh.api.model;

import java.util.List;

/** Istio's AuthorizationPolicy: who may call a workload, on which operations, under which conditions. */
@IstioFields(unsupported = {"targetRef", "targetRefs", "provider"})
public record AuthorizationPolicy(WorkloadSelector selector, List<Rule> rules, Action action) {

    public AuthorizationPolicy {
        rules = Immutable.list(rules);
    }

    /** The action in force: Istio's default is ALLOW. */
    public Action effectiveAction() {
        return action == null ? Action.ALLOW : action;
    }

    public enum Action { ALLOW, DENY, AUDIT, CUSTOM }

    public record Rule(List<From> from, List<To> to, List<Condition> when) {
        public Rule {
            from = Immutable.list(from);
            to = Immutable.list(to);
            when = Immutable.list(when);
        }
    }

    public record From(Source source) {
    }

    public record To(Operation operation) {
    }

    @IstioFields(unsupported = {"remoteIpBlocks", "notRemoteIpBlocks", "serviceAccounts", "notServiceAccounts"})
    public record Source(List<String> principals, List<String> notPrincipals, List<String> requestPrincipals,
                         List<String> notRequestPrincipals, List<String> namespaces, List<String> notNamespaces,
                         List<String> ipBlocks, List<String> notIpBlocks) {
        public Source {
            principals = Immutable.list(principals);
            notPrincipals = Immutable.list(notPrincipals);
            requestPrincipals = Immutable.list(requestPrincipals);
            notRequestPrincipals = Immutable.list(notRequestPrincipals);
            namespaces = Immutable.list(namespaces);
            notNamespaces = Immutable.list(notNamespaces);
            ipBlocks = Immutable.list(ipBlocks);
            notIpBlocks = Immutable.list(notIpBlocks);
        }
    }

    public record Operation(List<String> hosts, List<String> notHosts, List<String> ports, List<String> notPorts,
                            List<String> methods, List<String> notMethods, List<String> paths, List<String> notPaths) {
        public Operation {
            hosts = Immutable.list(hosts);
            notHosts = Immutable.list(notHosts);
            ports = Immutable.list(ports);
            notPorts = Immutable.list(notPorts);
            methods = Immutable.list(methods);
            notMethods = Immutable.list(notMethods);
            paths = Immutable.list(paths);
            notPaths = Immutable.list(notPaths);
        }
    }

    public record Condition(String key, List<String> values, List<String> notValues) {
        public Condition {
            values = Immutable.list(values);
            notValues = Immutable.list(notValues);
        }
    }
}

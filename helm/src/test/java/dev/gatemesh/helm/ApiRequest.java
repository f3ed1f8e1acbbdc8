package dev.gatemesh.helm;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Kubernetes API request as RBAC sees it: verb, API group, resource, namespace and object name, read off
 * the HTTP method and path (e.g. {@code GET /apis/discovery.k8s.io/v1/endpointslices?watch=true} is a
 * cluster-wide watch of endpointslices).
 *
 * @param namespace null for a cluster-wide request
 * @param name      null for a request on a collection
 */
public record ApiRequest(String verb, String group, String resource, String namespace, String name) {

    private static final Pattern PATH = Pattern.compile(
            "^/(?:api/v1|apis/(?<group>[^/]+)/[^/]+)(?:/namespaces/(?<ns>[^/]+))?/(?<resource>[^/]+)(?:/(?<name>[^/]+))?(?:/[^/]+)?$");

    /** Null for a request that names no resource (discovery: {@code /api}, {@code /apis}, {@code /version}). */
    public static ApiRequest of(String method, String pathAndQuery) {
        int question = pathAndQuery.indexOf('?');
        String path = question < 0 ? pathAndQuery : pathAndQuery.substring(0, question);
        String query = question < 0 ? "" : pathAndQuery.substring(question + 1);
        String group;
        String namespace;
        String resource;
        String name;
        if (path.matches("^/api/v1/namespaces/[^/]+$")) {
            // a Namespace object itself
            return of(method, query, "", null, "namespaces", path.substring("/api/v1/namespaces/".length()));
        }
        Matcher m = PATH.matcher(path);
        if (!m.matches()) {
            return null;
        }
        group = m.group("group") == null ? "" : m.group("group");
        namespace = m.group("ns");
        resource = m.group("resource");
        name = m.group("name");
        return of(method, query, group, namespace, resource, name);
    }

    private static ApiRequest of(String method, String query, String group, String namespace, String resource,
                                 String name) {
        boolean watch = query.matches("(^|.*&)watch=(true|1)(&.*|$)");
        String verb = switch (method) {
            case "GET" -> watch ? "watch" : name == null ? "list" : "get";
            case "POST" -> "create";
            case "PUT" -> "update";
            case "PATCH" -> "patch";
            case "DELETE" -> name == null ? "deletecollection" : "delete";
            default -> method.toLowerCase(java.util.Locale.ROOT);
        };
        return new ApiRequest(verb, group, resource, namespace, name);
    }

    @Override
    public String toString() {
        return verb + " " + (group.isEmpty() ? "core" : group) + " " + resource + (name == null ? "" : "/" + name)
                + (namespace == null ? "" : " in " + namespace);
    }
}

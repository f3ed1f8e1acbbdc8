package dev.gatemesh.api.problem;

/**
 * Every problem Gatemesh reports has a stable code, so that people and tools can look it up and
 * filter on it. The README's table of codes is checked against this enum by a test.
 * GM00xx: reading and schema; GM01xx: checks across resources; GM02xx: checks of one resource.
 */
public enum ProblemCode {
    UNREADABLE("GM0001", "A file or folder cannot be read."),
    YAML_SYNTAX("GM0002", "The file is not well-formed YAML."),
    NOT_A_RESOURCE("GM0003", "A document is not a Kubernetes-style object (apiVersion, kind, metadata)."),
    UNSUPPORTED_KIND("GM0004", "An Istio kind or apiVersion Gatemesh does not support (ignored with a warning, or rejected)."),
    MISSING_NAME("GM0005", "metadata.name is missing or not a valid Kubernetes name."),
    DUPLICATE_RESOURCE("GM0006", "The same kind, namespace and name is defined more than once."),
    LIMIT_EXCEEDED("GM0007", "A file or resource is over an input limit (size, resource count, nesting depth, value length, list length, aliases): it is rejected whole and its last good version stays in force."),
    UNKNOWN_FIELD("GM0010", "A field that Istio's API does not have (the message names the nearest known field)."),
    UNSUPPORTED_FIELD("GM0011", "A field Istio has that Gatemesh does not implement: an error for security kinds (fail closed), a warning for traffic kinds."),
    WRONG_TYPE("GM0012", "A value of the wrong type (for example a number where a string is expected)."),
    INVALID_ENUM("GM0013", "A value outside the field's allowed set."),
    DUPLICATE_KEY("GM0014", "A mapping has the same key twice."),

    UNDEFINED_SUBSET("GM0101", "A route refers to a subset that no DestinationRule for that host defines."),
    UNKNOWN_HOST("GM0102", "A route or mirror destination host that no ServiceEntry or Kubernetes Service declares."),
    UNKNOWN_GATEWAY("GM0103", "A VirtualService is bound to a Gateway that does not exist."),
    CONFLICTING_VIRTUAL_SERVICES("GM0104", "Two VirtualServices claim the same host for the same gateway."),
    CONFLICTING_PEER_AUTHENTICATIONS("GM0105", "More than one PeerAuthentication applies to the same workload at the same level."),
    SELECTOR_MATCHES_NOTHING("GM0106", "A policy's workload selector matches no known workload."),

    INVALID_WEIGHT("GM0201", "A route weight outside 0..100."),
    WEIGHTS_NOT_100("GM0202", "The weights of a route with several destinations do not sum to 100."),
    INVALID_REGEX("GM0203", "A regular expression that does not compile."),
    INVALID_DURATION("GM0204", "A duration not in Istio's form (1.5s, 100ms, 1m, 1h30m) or out of range."),
    INVALID_PORT("GM0205", "A port number outside 1..65535."),
    INVALID_PRINCIPAL("GM0206", "A principal not of the form <trust-domain>/ns/<namespace>/sa/<service-account> (or a * wildcard at either end)."),
    INVALID_CIDR("GM0207", "An IP address or CIDR block that does not parse."),
    INVALID_STATUS_CODE("GM0208", "An HTTP status code outside its allowed range (200..599 for aborts, 300..399 for redirects)."),
    INVALID_PERCENTAGE("GM0209", "A percentage outside 0..100."),
    INVALID_HOST("GM0210", "A host name that is not a valid DNS name (a * wildcard only as the first label)."),
    MISSING_FIELD("GM0211", "A required field is missing or empty."),
    ONE_OF("GM0212", "Fields that exclude each other are set together, or none of a required choice is set."),
    DUPLICATE_NAME("GM0213", "Two entries of a list share a name that must be unique (subsets, ports, servers)."),
    INVALID_LABEL("GM0214", "A label key or value that Kubernetes would reject."),
    INVALID_NAME("GM0215", "A namespace or name reference that is not a valid Kubernetes name."),
    INVALID_HEADER("GM0216", "A header name that is not a valid HTTP token."),
    INVALID_METHOD("GM0217", "An HTTP method that is not a valid HTTP token."),
    INVALID_RETRY_ON("GM0218", "A retryOn condition Gatemesh does not know."),
    INVALID_VALUE("GM0219", "A value that is out of range or badly formed for its field (the message says what is expected)."),
    INVALID_CONDITION_KEY("GM0220", "An AuthorizationPolicy condition key Gatemesh does not know."),
    INVALID_TLS("GM0221", "A TLS setting that is incomplete or contradictory.");

    private final String code;
    private final String description;

    ProblemCode(String code, String description) {
        this.code = code;
        this.description = description;
    }

    public String code() {
        return code;
    }

    public String description() {
        return description;
    }
}

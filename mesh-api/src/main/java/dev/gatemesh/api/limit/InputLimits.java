package dev.gatemesh.api.limit;

/**
 * Bounds on configuration input, checked before or while it is read so that no file or resource can make
 * the reader run out of stack, memory or time: a document nested 1,500 deep, a 50 MiB value or 260,000
 * resources are refused at the limit, not after they have been read. The same defaults apply in the config
 * server (properties {@code gatemesh.server.limits.*}), in local mode and in {@code meshctl analyze}.
 *
 * @param maxFileSize          the largest manifest file read, in bytes (checked before reading it; also bounds any
 *                             one value, which the YAML parser cannot bound while scanning it)
 * @param maxResourcesPerFile  the most documents (resources) one file may hold
 * @param maxResources         the most resources one source (a folder, a cluster) may hold in all
 * @param maxDepth             the deepest nesting of mappings and lists in a document
 * @param maxScalarLength      the longest single value (string, number...), in characters
 * @param maxListLength        the most items in one list (routes of a VirtualService, hosts, ...)
 * @param maxAliases           the most aliases to mappings or lists in one document (stops "billion laughs")
 */
public record InputLimits(long maxFileSize, int maxResourcesPerFile, int maxResources, int maxDepth, int maxScalarLength,
                          int maxListLength, int maxAliases) {

    public static final long DEFAULT_MAX_FILE_SIZE = 8L << 20;
    public static final int DEFAULT_MAX_RESOURCES_PER_FILE = 10_000;
    public static final int DEFAULT_MAX_RESOURCES = 50_000;
    public static final int DEFAULT_MAX_DEPTH = 64;
    public static final int DEFAULT_MAX_SCALAR_LENGTH = 256 << 10;
    public static final int DEFAULT_MAX_LIST_LENGTH = 1_000;
    public static final int DEFAULT_MAX_ALIASES = 50;

    public static final InputLimits DEFAULTS = new InputLimits(DEFAULT_MAX_FILE_SIZE, DEFAULT_MAX_RESOURCES_PER_FILE,
            DEFAULT_MAX_RESOURCES, DEFAULT_MAX_DEPTH, DEFAULT_MAX_SCALAR_LENGTH, DEFAULT_MAX_LIST_LENGTH, DEFAULT_MAX_ALIASES);

    public InputLimits {
        positive(Limit.FILE_SIZE, maxFileSize);
        positive(Limit.RESOURCES_PER_FILE, maxResourcesPerFile);
        positive(Limit.RESOURCES, maxResources);
        positive(Limit.DEPTH, maxDepth);
        positive(Limit.SCALAR_LENGTH, maxScalarLength);
        positive(Limit.LIST_LENGTH, maxListLength);
        if (maxAliases < 0) {
            throw new IllegalArgumentException(Limit.ALIASES.settingName() + " must be 0 or more (got " + maxAliases + ")");
        }
    }

    private static void positive(Limit limit, long value) {
        if (value < 1) {
            throw new IllegalArgumentException(limit.settingName() + " must be at least 1 (got " + value + ")");
        }
    }

    /** The value of one limit. */
    public long of(Limit limit) {
        return switch (limit) {
            case FILE_SIZE -> maxFileSize;
            case RESOURCES_PER_FILE -> maxResourcesPerFile;
            case RESOURCES -> maxResources;
            case DEPTH -> maxDepth;
            case SCALAR_LENGTH -> maxScalarLength;
            case LIST_LENGTH -> maxListLength;
            case ALIASES -> maxAliases;
        };
    }
}

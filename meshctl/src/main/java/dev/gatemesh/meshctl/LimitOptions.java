package dev.gatemesh.meshctl;

import dev.gatemesh.api.limit.InputLimits;
import java.util.Locale;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * The input limits as flags, shared by {@code analyze} and {@code local up}: the defaults are the config server's
 * ({@code gatemesh.server.limits.*}), so analyze rejects exactly what a running server would.
 */
final class LimitOptions {

    @Option(names = "--max-file-size", paramLabel = "SIZE", converter = ByteSize.class,
            defaultValue = "" + InputLimits.DEFAULT_MAX_FILE_SIZE,
            description = "Largest manifest file read, in bytes or with KB/MB/GB (default: ${DEFAULT-VALUE} bytes).")
    long maxFileSize;

    @Option(names = "--max-resources-per-file", paramLabel = "N", defaultValue = "" + InputLimits.DEFAULT_MAX_RESOURCES_PER_FILE,
            description = "Most resources in one file (default: ${DEFAULT-VALUE}).")
    int maxResourcesPerFile;

    @Option(names = "--max-resources", paramLabel = "N", defaultValue = "" + InputLimits.DEFAULT_MAX_RESOURCES,
            description = "Most resources in all (default: ${DEFAULT-VALUE}).")
    int maxResources;

    @Option(names = "--max-depth", paramLabel = "N", defaultValue = "" + InputLimits.DEFAULT_MAX_DEPTH,
            description = "Deepest nesting of mappings and lists (default: ${DEFAULT-VALUE}).")
    int maxDepth;

    @Option(names = "--max-scalar-length", paramLabel = "N", defaultValue = "" + InputLimits.DEFAULT_MAX_SCALAR_LENGTH,
            description = "Longest single value, in characters (default: ${DEFAULT-VALUE}).")
    int maxScalarLength;

    @Option(names = "--max-list-length", paramLabel = "N", defaultValue = "" + InputLimits.DEFAULT_MAX_LIST_LENGTH,
            description = "Most items in one list or keys in one mapping (default: ${DEFAULT-VALUE}).")
    int maxListLength;

    @Option(names = "--max-aliases", paramLabel = "N", defaultValue = "" + InputLimits.DEFAULT_MAX_ALIASES,
            description = "Most YAML aliases to mappings or lists in one document (default: ${DEFAULT-VALUE}).")
    int maxAliases;

    /** The limits, or a usage error naming the flag when one is out of range. */
    InputLimits limits(CommandLine commandLine) {
        try {
            return new InputLimits(maxFileSize, maxResourcesPerFile, maxResources, maxDepth, maxScalarLength, maxListLength,
                    maxAliases);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(commandLine, "--" + e.getMessage());
        }
    }

    /** A size in bytes, or with a unit as Spring's {@code DataSize} reads it: 512KB, 8MB, 1GB (powers of 1024). */
    static final class ByteSize implements CommandLine.ITypeConverter<Long> {
        @Override
        public Long convert(String value) {
            String text = value.trim().toUpperCase(Locale.ROOT);
            long unit = 1;
            for (String[] suffix : new String[][] {{"GB", "" + (1L << 30)}, {"MB", "" + (1L << 20)}, {"KB", "" + (1L << 10)},
                    {"B", "1"}}) {
                if (text.endsWith(suffix[0])) {
                    unit = Long.parseLong(suffix[1]);
                    text = text.substring(0, text.length() - suffix[0].length()).trim();
                    break;
                }
            }
            try {
                return Math.multiplyExact(Long.parseLong(text), unit);
            } catch (NumberFormatException | ArithmeticException e) {
                throw new CommandLine.TypeConversionException("\"" + value + "\" is not a size; expected e.g. 8388608, 512KB or 8MB");
            }
        }
    }
}

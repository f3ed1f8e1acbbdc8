package dev.gatemesh.server.springconfig;

import java.util.Locale;
import java.util.Optional;

/**
 * One Spring property file as a source holds it, unparsed.
 *
 * @param baseName the name it is served under: {@code application}, {@code <application>} or
 *                 {@code <application>-<profile>}
 * @param origin   where it comes from, for messages: a file path, or {@code ConfigMap ns/name key}
 * @param format   how to read the text
 * @param text     the content
 */
public record PropertyFileText(String baseName, String origin, Format format, String text) {

    /** The two formats Spring Boot reads. */
    public enum Format { YAML, PROPERTIES }

    /**
     * The base name and format of a file name or ConfigMap data key ({@code ingress-gateway.yml},
     * {@code application-prod.properties}); empty for other names.
     */
    public static Optional<Named> parseName(String fileName) {
        String lower = fileName.toLowerCase(Locale.ROOT);
        for (String extension : new String[] {".yml", ".yaml"}) {
            if (lower.endsWith(extension) && lower.length() > extension.length()) {
                return Optional.of(new Named(fileName.substring(0, fileName.length() - extension.length()), Format.YAML));
            }
        }
        if (lower.endsWith(".properties") && lower.length() > ".properties".length()) {
            return Optional.of(new Named(fileName.substring(0, fileName.length() - ".properties".length()),
                    Format.PROPERTIES));
        }
        return Optional.empty();
    }

    /** A base name and the format its extension says. */
    public record Named(String baseName, Format format) {
    }
}

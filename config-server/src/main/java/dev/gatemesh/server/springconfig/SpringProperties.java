package dev.gatemesh.server.springconfig;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The Spring property files in force, immutable, with a version that changes exactly when their content
 * does. Answers which files an application with given profiles sees, most specific first, as Spring Cloud
 * Config Server orders them: for each profile, the last one first, {@code <app>-<profile>} then
 * {@code application-<profile>}; then {@code <app>}; then {@code application}.
 */
public final class SpringProperties {

    public static final String SHARED = "application";
    public static final SpringProperties EMPTY = of(List.of());

    private final Map<String, List<PropertyFile>> byBaseName;
    private final String version;

    private SpringProperties(Map<String, List<PropertyFile>> byBaseName, String version) {
        this.byBaseName = byBaseName;
        this.version = version;
    }

    public static SpringProperties of(List<PropertyFile> files) {
        Map<String, List<PropertyFile>> byBaseName = new TreeMap<>();
        files.stream().sorted(Comparator.comparing(PropertyFile::baseName).thenComparing(PropertyFile::origin))
                .forEach(f -> byBaseName.computeIfAbsent(f.baseName(), k -> new ArrayList<>()).add(f));
        byBaseName.replaceAll((k, v) -> List.copyOf(v));
        return new SpringProperties(java.util.Collections.unmodifiableMap(byBaseName), versionOf(byBaseName));
    }

    public String version() {
        return version;
    }

    /** The files served under a base name (several when e.g. both {@code x.yml} and {@code x.properties} exist). */
    public List<PropertyFile> files(String baseName) {
        return byBaseName.getOrDefault(baseName, List.of());
    }

    public Set<String> baseNames() {
        return byBaseName.keySet();
    }

    /** What {@code application} sees with {@code profiles} (later profiles win), most specific first. */
    public List<PropertyFile> sourcesFor(String application, List<String> profiles) {
        Set<String> names = new LinkedHashSet<>();
        for (int i = profiles.size() - 1; i >= 0; i--) {
            names.add(application + "-" + profiles.get(i));
            names.add(SHARED + "-" + profiles.get(i));
        }
        names.add(application);
        names.add(SHARED);
        List<PropertyFile> sources = new ArrayList<>();
        names.forEach(name -> sources.addAll(files(name)));
        return sources;
    }

    /** The base names whose files differ between two states, sorted. */
    public static List<String> changedBetween(SpringProperties before, SpringProperties after) {
        Set<String> changed = new TreeSet<>();
        Set<String> all = new TreeSet<>(before.baseNames());
        all.addAll(after.baseNames());
        for (String name : all) {
            if (!before.files(name).equals(after.files(name))) {
                changed.add(name);
            }
        }
        return List.copyOf(changed);
    }

    private static String versionOf(Map<String, List<PropertyFile>> byBaseName) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byBaseName.forEach((name, files) -> files.forEach(file -> {
                digest.update((file.origin() + "\n").getBytes(StandardCharsets.UTF_8));
                file.properties().forEach((key, value) -> digest.update((key + "=" + value + "\n")
                        .getBytes(StandardCharsets.UTF_8)));
            }));
            return HexFormat.of().formatHex(digest.digest(), 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

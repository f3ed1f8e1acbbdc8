package dev.gatemesh.server.source;

import dev.gatemesh.api.load.FileRead;
import dev.gatemesh.api.load.ManifestLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Reads only the files that changed: a file whose size, modification time and identity (inode) are as at its last
 * read keeps that read. So an edit of one file never waits for the others to be parsed again, and a file that is
 * large, slow or rejected costs one read per change of that file, not one per edit anywhere in the folder.
 */
final class FileReadCache {

    private record Stamp(Object fileKey, FileTime modified, long size) {
    }

    private record Cached(Stamp stamp, FileRead read) {
    }

    private final ManifestLoader loader;
    private Map<Path, Cached> cache = new HashMap<>();

    FileReadCache(ManifestLoader loader) {
        this.loader = loader;
    }

    /** The reads of these files, in their order; files not listed are forgotten. */
    List<FileRead> read(List<Path> files) {
        Map<Path, Cached> next = new HashMap<>();
        List<FileRead> reads = files.stream().map(file -> {
            Stamp stamp = stamp(file);
            Cached cached = cache.get(file);
            if (stamp == null || cached == null || !cached.stamp().equals(stamp)) {
                cached = new Cached(stamp, loader.readFile(file));
            }
            if (stamp != null) {
                next.put(file, cached);
            }
            return cached.read();
        }).toList();
        cache = next;
        return reads;
    }

    private static Stamp stamp(Path file) {
        try {
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
            return new Stamp(Objects.requireNonNullElse(attributes.fileKey(), file), attributes.lastModifiedTime(),
                    attributes.size());
        } catch (IOException e) {
            return null; // read again: the loader reports why it cannot be read
        }
    }
}

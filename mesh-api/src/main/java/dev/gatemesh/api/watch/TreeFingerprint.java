package dev.gatemesh.api.watch;

import java.io.IOException;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.EnumSet;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * What a folder tree looks like to a rescan: every entry's relative path with its size, modification time and file
 * key (links followed, so a swapped link target counts). Two equal fingerprints mean nothing a rescan can see has
 * changed, so the periodic safety-net read calls back only when the watch service missed something.
 */
record TreeFingerprint(boolean exists, Map<String, String> entries) {

    static final TreeFingerprint MISSING = new TreeFingerprint(false, Map.of());

    static TreeFingerprint of(Path folder, Predicate<Path> excluded) {
        if (!Files.isDirectory(folder)) {
            return MISSING;
        }
        Map<String, String> entries = new TreeMap<>();
        try {
            Files.walkFileTree(folder, EnumSet.of(FileVisitOption.FOLLOW_LINKS), Integer.MAX_VALUE,
                    new SimpleFileVisitor<>() {
                        @Override
                        public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attributes) {
                            if (excluded.test(dir)) {
                                return FileVisitResult.SKIP_SUBTREE;
                            }
                            // presence only: a directory's time changes with its entries, excluded ones too
                            entries.put(folder.relativize(dir) + "/", "directory");
                            return FileVisitResult.CONTINUE;
                        }

                        @Override
                        public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
                            if (!excluded.test(file)) {
                                entries.put(folder.relativize(file).toString(), describe(attributes));
                            }
                            return FileVisitResult.CONTINUE;
                        }

                        @Override
                        public FileVisitResult visitFileFailed(Path file, IOException e) {
                            // gone while walking, unreadable, or a link loop: seen as such, the walk goes on
                            entries.put(folder.relativize(file).toString(), "failed " + e.getClass().getSimpleName());
                            return FileVisitResult.CONTINUE;
                        }
                    });
        } catch (IOException e) {
            entries.put("", "failed " + e.getClass().getSimpleName());
        }
        return new TreeFingerprint(true, Map.copyOf(entries));
    }

    private static String describe(BasicFileAttributes attributes) {
        return attributes.size() + " " + attributes.lastModifiedTime() + " " + attributes.fileKey();
    }
}

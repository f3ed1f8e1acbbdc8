package dev.gatemesh.proxy.gateway;

import dev.gatemesh.proxy.credentials.TlsCredential;
import dev.gatemesh.proxy.credentials.CredentialSource;
import dev.gatemesh.api.watch.FolderWatcher;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * Credentials as directories of a folder (local mode): {@code <folder>/<name>/tls.crt}, {@code tls.key} and
 * optionally {@code ca.crt}; the client CAs may also come from Istio's companion {@code <name>-cacert/ca.crt}.
 * The folder and every credential directory are watched ({@link FolderWatcher}); a burst of events is read once
 * after {@code debounce}, and a periodic rescan catches what a watch service missed. A credential whose files do not
 * fit together (a certificate written before its key) is refused and the last good one kept. The version is a content
 * hash.
 */
public final class FileCredentialSource implements CredentialSource {

    private static final Logger log = LoggerFactory.getLogger(FileCredentialSource.class);

    static final String CERTIFICATE_CHAIN = "tls.crt";
    static final String PRIVATE_KEY = "tls.key";
    static final String CA_CERTIFICATES = "ca.crt";
    static final String CA_SUFFIX = "-cacert";

    private final Path folder;
    private final FolderWatcher.Builder watch;
    private final LastGoodCredentials credentials;
    private volatile FolderWatcher watcher;

    /** With its own scheduler thread, shut down by {@link #close()}. */
    public FileCredentialSource(Path folder, Duration debounce, Duration rescan) {
        this(FolderWatcher.of(folder).debounce(debounce).rescanEvery(rescan));
    }

    /** On the caller's scheduler (left running by {@link #close()}); it should run one task at a time. */
    public FileCredentialSource(Path folder, ScheduledExecutorService scheduler, Duration debounce, Duration rescan) {
        this(FolderWatcher.of(folder).debounce(debounce).rescanEvery(rescan).onScheduler(scheduler));
    }

    private FileCredentialSource(FolderWatcher.Builder watch) {
        // A folder that is not there yet is not created (it may be the user's config folder's child): the watcher
        // reads it when it appears.
        this.watch = watch.threadName("gatemesh-credentials");
        this.folder = watch.folder();
        this.credentials = new LastGoodCredentials(describe(), Level.ERROR);
    }

    /** Reads the folder once (before returning), then watches it. */
    public FileCredentialSource start() {
        watcher = watch.start(this::scan);
        return this;
    }

    @Override
    public TlsCredential get(String name) {
        return credentials.get(name);
    }

    @Override
    public void onChange(Runnable listener) {
        credentials.onChange(listener);
    }

    @Override
    public String describe() {
        return "files in " + folder;
    }

    /** The credentials whose files were refused at the last read, with every problem. */
    public Map<String, List<String>> rejected() {
        return credentials.rejected();
    }

    /** Reads every credential directory now (the watch and the rescan call it; so may tests). */
    public synchronized void scan() {
        try {
            List<Path> directories = directories();
            Set<String> names = new HashSet<>();
            List<LastGoodCredentials.Read> reads = new ArrayList<>();
            for (Path directory : directories) {
                String name = directory.getFileName().toString();
                if (Files.exists(directory.resolve(CERTIFICATE_CHAIN)) || Files.exists(directory.resolve(PRIVATE_KEY))) {
                    names.add(name);
                    reads.add(read(name, directory));
                }
            }
            List<String> removed = credentials.all().keySet().stream().filter(n -> !names.contains(n)).toList();
            List<String> removedRejected = credentials.rejected().keySet().stream().filter(n -> !names.contains(n)).toList();
            List<String> gone = Stream.concat(removed.stream(), removedRejected.stream()).distinct().toList();
            credentials.apply(reads, gone);
        } catch (IOException | RuntimeException e) {
            log.error("{}: reading the folder failed ({}); the credentials in force are unchanged", describe(), e.toString());
        }
    }

    private List<Path> directories() throws IOException {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(folder)) {
            return entries.filter(Files::isDirectory)
                    .filter(p -> !p.getFileName().toString().startsWith("."))
                    .sorted()
                    .toList();
        }
    }

    private LastGoodCredentials.Read read(String name, Path directory) {
        List<String> problems = new ArrayList<>();
        Path certificatePath = directory.resolve(CERTIFICATE_CHAIN);
        Path keyPath = directory.resolve(PRIVATE_KEY);
        Path caPath = directory.resolve(CA_CERTIFICATES);
        if (!Files.exists(caPath)) {
            caPath = folder.resolve(name + CA_SUFFIX).resolve(CA_CERTIFICATES);
        }
        String certificate = readText(certificatePath, "the PEM certificate chain of " + PRIVATE_KEY, problems);
        String key = readText(keyPath, "the PEM private key of " + CERTIFICATE_CHAIN, problems);
        String ca = Files.exists(caPath) ? readText(caPath, "the PEM client CA certificates", problems) : null;
        if (!problems.isEmpty()) {
            return new LastGoodCredentials.Read(name, null, problems);
        }
        TlsCredential candidate = new TlsCredential(name, certificate, key, ca, contentHash(certificate, key, ca));
        return new LastGoodCredentials.Read(name, candidate, CredentialValidator.validate(candidate,
                new CredentialValidator.Origins(certificatePath.toString(), keyPath.toString(), caPath.toString())));
    }

    private static String readText(Path path, String expected, List<String> problems) {
        try {
            return Files.readString(path, StandardCharsets.US_ASCII);
        } catch (NoSuchFileException e) {
            problems.add(path + ": missing; expected " + expected);
        } catch (IOException | RuntimeException e) {
            problems.add(path + ": unreadable (" + e.getClass().getSimpleName() + "); expected " + expected);
        }
        return null;
    }

    static String contentHash(String... parts) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (String part : parts) {
                digest.update(part == null ? new byte[] {0} : part.getBytes(StandardCharsets.US_ASCII));
                digest.update((byte) 0xff);
            }
            return HexFormat.of().formatHex(digest.digest(), 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    @Override
    public void close() {
        FolderWatcher current = watcher;
        if (current != null) {
            current.close();
        }
    }
}

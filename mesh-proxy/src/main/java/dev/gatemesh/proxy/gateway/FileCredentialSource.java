package dev.gatemesh.proxy.gateway;

import dev.gatemesh.proxy.credentials.TlsCredential;
import dev.gatemesh.proxy.credentials.CredentialSource;
import static java.nio.file.StandardWatchEventKinds.ENTRY_CREATE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_DELETE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_MODIFY;
import static java.nio.file.StandardWatchEventKinds.OVERFLOW;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * Credentials as directories of a folder (local mode): {@code <folder>/<name>/tls.crt}, {@code tls.key} and
 * optionally {@code ca.crt}; the client CAs may also come from Istio's companion {@code <name>-cacert/ca.crt}.
 * The folder and every credential directory are watched; a burst of events is read once after {@code debounce},
 * and a periodic rescan catches what a watch service missed. A credential whose files do not fit together (a
 * certificate written before its key) is refused and the last good one kept. The version is a content hash.
 */
public final class FileCredentialSource implements CredentialSource {

    private static final Logger log = LoggerFactory.getLogger(FileCredentialSource.class);

    static final String CERTIFICATE_CHAIN = "tls.crt";
    static final String PRIVATE_KEY = "tls.key";
    static final String CA_CERTIFICATES = "ca.crt";
    static final String CA_SUFFIX = "-cacert";

    private final Path folder;
    private final ScheduledExecutorService scheduler;
    private final boolean ownsScheduler;
    private final Duration debounce;
    private final Duration rescan;
    private final LastGoodCredentials credentials;
    private final AtomicBoolean scanPending = new AtomicBoolean();
    private final Set<Path> watched = ConcurrentHashMap.newKeySet();
    private volatile WatchService watcher;
    private Thread watchThread;
    private ScheduledFuture<?> rescans;

    /** With its own scheduler thread, shut down by {@link #close()}. */
    public FileCredentialSource(Path folder, Duration debounce, Duration rescan) {
        this(folder, Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "gatemesh-credentials")), true, debounce, rescan);
    }

    /** On the caller's scheduler (left running by {@link #close()}); it should run one task at a time. */
    public FileCredentialSource(Path folder, ScheduledExecutorService scheduler, Duration debounce, Duration rescan) {
        this(folder, scheduler, false, debounce, rescan);
    }

    private FileCredentialSource(Path folder, ScheduledExecutorService scheduler, boolean ownsScheduler, Duration debounce,
                                 Duration rescan) {
        this.folder = folder.toAbsolutePath().normalize();
        this.scheduler = scheduler;
        this.ownsScheduler = ownsScheduler;
        this.debounce = debounce;
        this.rescan = rescan;
        this.credentials = new LastGoodCredentials(describe(), Level.ERROR);
    }

    /** Reads the folder once (before returning), then watches it. */
    public FileCredentialSource start() {
        try {
            watcher = FileSystems.getDefault().newWatchService();
            // A folder that is not there yet is not created (it may be the user's config folder's child):
            // its parent is watched, so that the folder is seen when it appears.
            watch(Files.isDirectory(folder) || folder.getParent() == null ? folder : folder.getParent());
        } catch (IOException e) {
            log.warn("{}: cannot watch ({}); changes are seen by the rescan every {}", describe(), e.getMessage(), rescan);
        }
        scan();
        if (watcher != null) {
            watchThread = daemon(this::watchLoop, "gatemesh-credentials-watch");
            watchThread.start();
        }
        rescans = scheduler.scheduleWithFixedDelay(this::scan, rescan.toNanos(), rescan.toNanos(), TimeUnit.NANOSECONDS);
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
        scanPending.set(false);
        try {
            if (Files.isDirectory(folder)) {
                watch(folder);
            }
            List<Path> directories = directories();
            Set<String> names = new HashSet<>();
            List<LastGoodCredentials.Read> reads = new ArrayList<>();
            for (Path directory : directories) {
                watch(directory);
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

    private void watch(Path directory) {
        WatchService service = watcher;
        if (service == null || !watched.add(directory)) {
            return;
        }
        try {
            directory.register(service, ENTRY_CREATE, ENTRY_MODIFY, ENTRY_DELETE, OVERFLOW);
        } catch (IOException | ClosedWatchServiceException e) {
            watched.remove(directory);
            log.debug("{}: cannot watch {}: {}", describe(), directory, e.getMessage());
        }
    }

    private void watchLoop() {
        try {
            while (true) {
                WatchKey key = watcher.take();
                key.pollEvents();
                if (!key.reset()) {
                    watched.remove((Path) key.watchable());
                }
                scheduleScan();
            }
        } catch (InterruptedException | ClosedWatchServiceException e) {
            // closing
        }
    }

    private void scheduleScan() {
        if (scanPending.compareAndSet(false, true)) {
            try {
                scheduler.schedule(this::scan, debounce.toNanos(), TimeUnit.NANOSECONDS);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                scanPending.set(false);
            }
        }
    }

    @Override
    public void close() {
        if (rescans != null) {
            rescans.cancel(false);
        }
        if (ownsScheduler) {
            scheduler.shutdownNow();
        }
        try {
            if (watcher != null) {
                watcher.close();
            }
        } catch (IOException e) {
            log.debug("closing the watch service", e);
        }
        if (watchThread != null) {
            watchThread.interrupt();
        }
    }

    private static Thread daemon(Runnable runnable, String name) {
        Thread thread = new Thread(runnable, name);
        thread.setDaemon(true);
        return thread;
    }
}

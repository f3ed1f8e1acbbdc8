package dev.gatemesh.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/** Resident set size of a process and its descendants (nginx's workers), from /proc. */
final class Rss {

    private Rss() {
    }

    /** The RSS in MiB of the process and its descendants now. */
    static double mib(ProcessHandle process) {
        return Stream.concat(Stream.of(process), process.descendants()).mapToLong(Rss::kib).sum() / 1024.0;
    }

    private static long kib(ProcessHandle process) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(process.pid()), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
            return 0;
        } catch (IOException gone) {
            return 0;
        }
    }

    /** Samples the RSS every 250 ms until closed; {@link #peakMib()} is the highest sample. */
    static final class Peak implements AutoCloseable {

        private final ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
        private final AtomicLong peakKib = new AtomicLong();

        Peak(ProcessHandle process) {
            sampler.scheduleAtFixedRate(() -> peakKib.accumulateAndGet((long) (mib(process) * 1024), Math::max),
                    0, 250, TimeUnit.MILLISECONDS);
        }

        double peakMib() {
            return peakKib.get() / 1024.0;
        }

        @Override
        public void close() {
            sampler.shutdownNow();
            try {
                sampler.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new UncheckedIOException(new IOException("interrupted", e));
            }
        }
    }
}

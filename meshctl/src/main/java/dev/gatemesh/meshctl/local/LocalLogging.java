package dev.gatemesh.meshctl.local;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import ch.qos.logback.core.FileAppender;
import dev.gatemesh.proxy.thread.ProxyThreads;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Local mode's logs: one file per component under {@code <home>/logs}, told apart by thread name (every
 * proxy's threads are named {@code gatemesh[<proxy>]-...}, see {@link ProxyThreads}); the config server's
 * and everything else's go to {@code config-server.log}. The console stays for meshctl's own lines.
 */
final class LocalLogging {

    static final String CONFIG_SERVER = "config-server";
    private static final String PATTERN = "%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} %-5level [%thread] %logger{36} - %msg%n";

    private LocalLogging() {
    }

    /** From now on, every log line goes to its component's file in the folder. */
    static void toFolder(Path logs) {
        // Spring Boot must not reset this configuration when the config server starts.
        System.setProperty("org.springframework.boot.logging.LoggingSystem", "none");
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        context.reset();
        ComponentFiles files = new ComponentFiles(logs);
        files.setContext(context);
        files.start();
        ch.qos.logback.classic.Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.INFO);
        root.addAppender(files);
        // A client leaving mid-handshake is routine, not a warning with a stack trace.
        context.getLogger("io.netty.handler.ssl.ApplicationProtocolNegotiationHandler").setLevel(Level.ERROR);
    }

    static Path file(Path logs, String component) {
        return logs.resolve(component + ".log");
    }

    /** The component a log line belongs to. */
    static String componentOf(String threadName) {
        String proxy = ProxyThreads.proxyOf(threadName);
        return proxy != null ? proxy : CONFIG_SERVER;
    }

    /** A file appender per component, opened at its first line. */
    private static final class ComponentFiles extends AppenderBase<ILoggingEvent> {

        private final Path logs;
        private final Map<String, FileAppender<ILoggingEvent>> open = new ConcurrentHashMap<>();

        ComponentFiles(Path logs) {
            this.logs = logs;
        }

        @Override
        protected void append(ILoggingEvent event) {
            open.computeIfAbsent(componentOf(event.getThreadName()), this::openFile).doAppend(event);
        }

        private FileAppender<ILoggingEvent> openFile(String component) {
            PatternLayoutEncoder encoder = new PatternLayoutEncoder();
            encoder.setContext(getContext());
            encoder.setPattern(PATTERN);
            encoder.start();
            FileAppender<ILoggingEvent> appender = new FileAppender<>();
            appender.setContext(getContext());
            appender.setName(component);
            appender.setFile(file(logs, component).toString());
            appender.setAppend(true);
            appender.setEncoder(encoder);
            appender.start();
            return appender;
        }

        @Override
        public void stop() {
            open.values().forEach(FileAppender::stop);
            super.stop();
        }
    }
}

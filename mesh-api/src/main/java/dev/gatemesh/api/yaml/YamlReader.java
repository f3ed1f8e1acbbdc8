package dev.gatemesh.api.yaml;

import dev.gatemesh.api.limit.InputLimits;
import dev.gatemesh.api.limit.LimitExceeded;
import java.io.Reader;
import java.io.StringReader;
import java.util.List;
import java.util.Optional;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Parse;
import org.snakeyaml.engine.v2.events.Event;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.schema.CoreSchema;

/**
 * Reads multi-document YAML (and JSON, which is YAML) into {@link YamlNode} trees with line numbers.
 * Documents before a syntax error are kept, so a file with one broken document still yields the
 * others; duplicate keys are reported instead of silently keeping the last one.
 *
 * <p>The tree is built from the parser's events without recursion ({@link TreeBuilder}), so that the
 * {@link InputLimits} stop reading where they are crossed: no nesting depth can overflow the stack, and no
 * list, value, alias count or number of documents grows past its limit before the reader gives up.
 */
public final class YamlReader {

    /**
     * What reading one text produced. {@code syntaxError} is null when the whole text parsed;
     * {@code limitExceeded} is null unless reading stopped at a limit (the documents are then incomplete).
     */
    public record Result(List<YamlDocument> documents, List<DuplicateKey> duplicateKeys,
                         YamlSyntaxException syntaxError, LimitExceeded limitExceeded) {
        public Result(List<YamlDocument> documents, List<DuplicateKey> duplicateKeys, YamlSyntaxException syntaxError) {
            this(documents, duplicateKeys, syntaxError, null);
        }
    }

    /** A key written twice in one mapping; {@code path} is its field path, such as {@code spec.http[0].timeout}. */
    public record DuplicateKey(String key, String path, int line, int firstLine) {
    }

    private YamlReader() {
    }

    /** Reads with the default limits. */
    public static Result read(String text) {
        return read(new StringReader(text), InputLimits.DEFAULTS);
    }

    public static Result read(String text, InputLimits limits) {
        return read(new StringReader(text), limits);
    }

    /** Reads a stream of characters, stopping at the first limit crossed. */
    public static Result read(Reader text, InputLimits limits) {
        LoadSettings settings = LoadSettings.builder()
                .setSchema(new CoreSchema())
                .setCodePointLimit((int) Math.min(Integer.MAX_VALUE, limits.maxFileSize()))
                .build();
        TreeBuilder builder = new TreeBuilder(limits, settings.getSchema().getScalarResolver());
        try {
            for (Event event : new Parse(settings).parseReader(text)) {
                builder.accept(event);
            }
        } catch (LimitExceeded.Stop e) {
            return new Result(builder.documents(), builder.duplicates(), null, e.exceeded());
        } catch (MarkedYamlEngineException e) {
            Optional<Mark> mark = e.getProblemMark().or(e::getContextMark);
            String problem = e.getProblem() == null ? e.getMessage() : e.getProblem();
            String context = e.getContext() == null ? "" : " (" + e.getContext() + ")";
            return new Result(builder.documents(), builder.duplicates(),
                    new YamlSyntaxException(problem + context, mark.map(m -> m.getLine() + 1).orElse(0)));
        } catch (YamlEngineException e) {
            return new Result(builder.documents(), builder.duplicates(), new YamlSyntaxException(e.getMessage(), 0));
        }
        return new Result(builder.documents(), builder.duplicates(), null);
    }
}

package dev.gatemesh.api.bind;

import dev.gatemesh.api.model.IstioFields;
import java.lang.reflect.Constructor;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** What the binder and the writer need to know of a model record; computed once per class. */
final class RecordShape {

    private static final ClassValue<RecordShape> CACHE = new ClassValue<>() {
        @Override
        protected RecordShape computeValue(Class<?> type) {
            return new RecordShape(type);
        }
    };

    private final Class<?> type;
    private final Map<String, RecordComponent> components = new LinkedHashMap<>();
    private final Constructor<?> constructor;
    private final Set<String> unsupported;
    private final Set<String> ignored;

    private RecordShape(Class<?> type) {
        this.type = type;
        RecordComponent[] all = type.getRecordComponents();
        for (RecordComponent component : all) {
            components.put(component.getName(), component);
        }
        try {
            constructor = type.getDeclaredConstructor(
                    Arrays.stream(all).map(RecordComponent::getType).toArray(Class<?>[]::new));
            constructor.setAccessible(true);
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException("no canonical constructor on " + type, e);
        }
        IstioFields fields = type.getAnnotation(IstioFields.class);
        unsupported = fields == null ? Set.of() : Set.of(fields.unsupported());
        ignored = fields == null ? Set.of() : Set.of(fields.ignored());
    }

    static RecordShape of(Class<?> type) {
        return CACHE.get(type);
    }

    Class<?> type() {
        return type;
    }

    RecordComponent component(String name) {
        return components.get(name);
    }

    List<RecordComponent> components() {
        return List.copyOf(components.values());
    }

    Type genericType(String name) {
        return components.get(name).getGenericType();
    }

    boolean isUnsupported(String name) {
        return unsupported.contains(name);
    }

    boolean isIgnored(String name) {
        return ignored.contains(name);
    }

    /** Names a user may have meant: the supported ones first, then Istio's unsupported ones. */
    List<String> knownNames() {
        List<String> names = new java.util.ArrayList<>(components.keySet());
        unsupported.stream().sorted().forEach(names::add);
        return names;
    }

    List<String> supportedNames() {
        return List.copyOf(components.keySet());
    }

    Object construct(Object[] arguments) {
        try {
            return constructor.newInstance(arguments);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot construct " + type.getSimpleName(), e);
        }
    }

    Object read(RecordComponent component, Object record) {
        try {
            return component.getAccessor().invoke(record);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot read " + component.getName(), e);
        }
    }
}

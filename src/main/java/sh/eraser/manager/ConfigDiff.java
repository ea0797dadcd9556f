package sh.eraser.manager;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import sh.eraser.config.EraserConfig;

/**
 * Names the settings that differ between two configurations, one level below the top (for example
 * {@code manager.scheduling}, {@code components.scanner}), for the log line that reports a reload.
 */
final class ConfigDiff {

  private ConfigDiff() {}

  /** The key paths whose values differ, in the order the configuration declares them. */
  static List<String> changedKeys(EraserConfig before, EraserConfig after) {
    List<String> changed = new ArrayList<>();
    for (RecordComponent section : EraserConfig.class.getRecordComponents()) {
      Object left = value(section, before);
      Object right = value(section, after);
      if (Objects.equals(left, right)) {
        continue;
      }
      for (RecordComponent key : section.getType().getRecordComponents()) {
        if (!Objects.equals(value(key, left), value(key, right))) {
          changed.add(section.getName() + "." + key.getName());
        }
      }
    }
    return changed;
  }

  private static Object value(RecordComponent component, Object record) {
    try {
      return component.getAccessor().invoke(record);
    } catch (IllegalAccessException | InvocationTargetException e) {
      throw new IllegalStateException("cannot read " + component.getName() + " of a config", e);
    }
  }
}

package dev.mig.check;

import dev.mig.syntax.Setting;
import dev.mig.syntax.Stmt;

/** The names and value rules of {@code set}, as {@link Setting} lists them. */
final class SettingRules {
    private SettingRules() {
    }

    static void check(Stmt.Set s, Linter linter) {
        Setting setting = Setting.named(s.name()).orElse(null);
        if (setting == null) {
            linter.error(Rule.SETTING_UNKNOWN, s.span(), "unknown setting '" + s.name() + "'; settings are "
                    + String.join(", ", Setting.names()));
            return;
        }
        if (setting.kind() == Setting.Kind.CONNECTION) {
            linter.connection(s.value(), s.span());
            return;
        }
        String problem = setting.problem(s.value(), s.quoted());
        if (problem != null) {
            linter.error(Rule.SETTING_VALUE, s.span(), problem);
        }
    }
}

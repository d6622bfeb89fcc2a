package dev.keel.common.security;

import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The least role an endpoint needs; {@link ApiKeyFilter} answers 403 before the method runs when
 * the caller's key has less. On a method it overrides the one on its class. Endpoints under the
 * protected paths without it need only a valid key (any role).
 */
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface RequiresRole {
    Role value();
}

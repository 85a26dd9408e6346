/**
 * Records for the QGA schema's types, named as in the schema; Jackson writes their members in
 * declaration (schema) order with kebab-case names, and the binder reads argument records the same way.
 */
package dev.jqga.schema;

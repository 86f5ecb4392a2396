/** Pagoda examples. */
package dev.pagoda.cli;

/** Pagoda core. */
package dev.pagoda.core;

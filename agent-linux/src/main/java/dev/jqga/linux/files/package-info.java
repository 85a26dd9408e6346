/** guest-file-* on Linux: files opened and moved with open(2), read(2), write(2) through JNA. */
package dev.jqga.linux.files;

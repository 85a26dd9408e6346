/**
 * guest-exec on Linux: children spawned with posix_spawn(3), watched by one poll(2) thread over
 * their pidfds and pipes, reaped by pid so that exit codes and signals stay exact.
 */
package dev.jqga.linux.exec;

// Signals delivered through a pipe (the self-pipe trick), for Sources/Workbook's SignalWatch.
#ifndef GANS_SIGNALS_H
#define GANS_SIGNALS_H

/// Makes the pipe and returns its read end, from which each caught signal's number arrives as
/// one byte; -1 if it fails or was already made.
int gans_signal_pipe(void);

/// Catches `number` from now on (its number goes into the pipe) and unblocks it on this thread.
int gans_signal_catch(int number);

/// How many times the process was continued after a stop (SIGCONT), once SIGCONT is caught;
/// counted in the handler itself, so a step that was stopped is known as soon as it ends.
unsigned long gans_signal_continuations(void);

#endif

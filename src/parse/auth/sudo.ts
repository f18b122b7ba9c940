import { optional, privilegedCommand, type AuthFacts } from './facts';

/**
 * sudo 1.8–1.9 log lines (lib/eventlog/eventlog.c new_logline / do_syslog_sudo / eventlog_store_sudo):
 *
 *   syslog:    `USER : [REASON ; ][HOST=h ; ]TTY=t ; [CHROOT=c ; ]PWD=p ; USER=u ; [GROUP=g ; ][TSID=s ; ][ENV=… ; ]COMMAND=…`
 *   log file:  the same after `DATE : `, and 1.8 separated `HOST=h : …` with a colon
 *   long:      a command too long for one syslog record goes on in `USER : (command continued) …` records
 *
 * A REASON (`3 incorrect password attempts`, `user NOT in sudoers`, `command not allowed`, `a password is
 * required`) means sudo refused; a line without one is a command it ran. COMMAND is last and may hold
 * anything, so it is cut off first; `TTY=unknown` is sudo's word for "no terminal". Facts are assembled with
 * Object.assign, not spread, for the reason pam.ts gives.
 */
const LINE = /^\s*(\S+) : (.*)$/s;
const COMMAND = /(?:^|[;:] )COMMAND=(.*)$/s;
const CONTINUED = /^\(command continued\) (.*)$/s;
const FIELD = /^([A-Z]+)=(.*)$/s;
const FAILED_ATTEMPTS = /^(\d+) incorrect password attempts?$/;

export function sudoFacts(message: string): AuthFacts | undefined {
  const m = LINE.exec(message);
  if (!m) return undefined;
  const [, user, body] = m;
  const continued = CONTINUED.exec(body!);
  if (continued) {
    return Object.assign(privilegedCommand('sudo-command-continued', 'unknown'), {
      'user.name': user!,
      'process.command_line': continued[1]!,
    });
  }
  const command = COMMAND.exec(body!);
  const head = command ? body!.slice(0, command.index) : body!;
  const fields: Record<string, string> = Object.create(null) as Record<string, string>;
  const reasons: string[] = [];
  for (const token of head.split(/ [;:] | [;:]$/)) {
    const item = token.trim();
    if (item === '') continue;
    const field = FIELD.exec(item);
    if (field) fields[field[1]!] = field[2]!;
    else reasons.push(item);
  }
  // Without COMMAND and without the usual fields this is some other sudo message (a warning, a PAM error).
  if (!command && fields.TTY === undefined && fields.USER === undefined) return undefined;
  const denied = reasons.length > 0;
  const attempts = reasons.map((r) => FAILED_ATTEMPTS.exec(r)).find((a) => a !== null);
  const facts = Object.assign(
    privilegedCommand('sudo-command', denied ? 'failure' : 'success'),
    { 'user.name': user! },
    optional({
      'user.target.name': fields.USER,
      'user.target.group.name': fields.GROUP,
      'process.command_line': command?.[1],
      'process.working_directory': fields.PWD ?? fields.CWD,
      'process.tty.name': fields.TTY === 'unknown' ? undefined : fields.TTY,
      'tuxwatch.sudo.host': fields.HOST,
      'tuxwatch.sudo.tsid': fields.TSID,
      'tuxwatch.sudo.env': fields.ENV,
      'tuxwatch.sudo.chroot': fields.CHROOT ?? fields.RUNCHROOT,
      'event.reason': denied ? reasons.join(' ; ') : undefined,
    }),
  );
  if (attempts) facts['tuxwatch.auth.failures'] = Number(attempts[1]);
  return facts;
}

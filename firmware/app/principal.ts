/** Who acts on the box: an account from an address (web, console login), or the box itself. */
export { SYSTEM, principalText, userPrincipal, type Principal } from '../journal/principal.ts';
/** The address a console principal carries where a web one has its IP address. */
export { CONSOLE_ADDRESS } from '../accounts/address-rules.ts';

/** Who acts on the box: an account from an address (web, console login), or the box itself. */
/** The address a console principal carries where a web one has its IP address. */
export { CONSOLE_ADDRESS } from '../accounts/address-rules.ts';
export { SYSTEM, principalText, seatPrincipal, userPrincipal, type Principal } from '../journal/principal.ts';

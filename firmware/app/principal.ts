/** Who acts on the box: an account from an address (web, console login), or the box itself. */
export { SYSTEM, principalText, seatPrincipal, userPrincipal, type Principal } from '../journal/principal.ts';

"""The `org_kde_kwin_idle` Wayland protocol, declared for pywayland by hand.

pywayland ships ext-idle-notify-v1 but not this older KDE protocol, which KWin and wlroots
before 0.16 (sway 1.7) offer instead. Its XML (plasma-wayland-protocols' idle.xml,
LGPL-2.1-or-later) is not copied here: this module states only the wire facts a client needs
to speak it (interface names, versions, request and event order, argument types), written the
way pywayland's scanner writes its own modules. Where they come from: idle.xml in
plasma-wayland-protocols 1.10.0 (Debian 12 package plasma-wayland-protocols), the same
interface wlroots 0.15 serves from its protocol/idle.xml.

Importing this module imports pywayland: only the `wayland` source does, when first read.
"""

from __future__ import annotations

from pywayland.protocol.wayland import WlSeat
from pywayland.protocol_core.argument import Argument
from pywayland.protocol_core.globals import Global
from pywayland.protocol_core.interface import Interface
from pywayland.protocol_core.proxy import Proxy
from pywayland.protocol_core.resource import Resource
from pywayland.scanner.argument import ArgumentType  # where pywayland defines it


class OrgKdeKwinIdleTimeout(Interface):
    """One idle timer: `idle` after `timeout` ms without input, `resumed` at the next input."""

    name = "org_kde_kwin_idle_timeout"
    version = 1


class OrgKdeKwinIdle(Interface):
    """The global that makes idle timers for a seat."""

    name = "org_kde_kwin_idle"
    version = 1


class OrgKdeKwinIdleTimeoutProxy(Proxy[OrgKdeKwinIdleTimeout]):
    interface = OrgKdeKwinIdleTimeout

    @OrgKdeKwinIdleTimeout.request()
    def release(self) -> None:
        self._marshal(0)
        self._destroy()

    @OrgKdeKwinIdleTimeout.request()
    def simulate_user_activity(self) -> None:
        self._marshal(1)


class OrgKdeKwinIdleTimeoutResource(Resource[OrgKdeKwinIdleTimeout]):
    """The compositor's side; declaring the events here is how pywayland learns them."""

    interface = OrgKdeKwinIdleTimeout

    @OrgKdeKwinIdleTimeout.event()
    def idle(self) -> None:
        self._post_event(0)

    @OrgKdeKwinIdleTimeout.event()
    def resumed(self) -> None:
        self._post_event(1)


class OrgKdeKwinIdleProxy(Proxy[OrgKdeKwinIdle]):
    interface = OrgKdeKwinIdle

    @OrgKdeKwinIdle.request(
        Argument(ArgumentType.NewId, interface=OrgKdeKwinIdleTimeout),
        Argument(ArgumentType.Object, interface=WlSeat),
        Argument(ArgumentType.Uint),
    )
    def get_idle_timeout(self, seat: object, timeout_ms: int) -> OrgKdeKwinIdleTimeoutProxy:
        timer: OrgKdeKwinIdleTimeoutProxy = self._marshal_constructor(
            0, OrgKdeKwinIdleTimeout, seat, timeout_ms
        )
        return timer


class OrgKdeKwinIdleResource(Resource[OrgKdeKwinIdle]):
    interface = OrgKdeKwinIdle


class OrgKdeKwinIdleTimeoutGlobal(Global[OrgKdeKwinIdleTimeout]):
    interface = OrgKdeKwinIdleTimeout


class OrgKdeKwinIdleGlobal(Global[OrgKdeKwinIdle]):
    interface = OrgKdeKwinIdle


OrgKdeKwinIdleTimeout._gen_c()
OrgKdeKwinIdleTimeout.proxy_class = OrgKdeKwinIdleTimeoutProxy
OrgKdeKwinIdleTimeout.resource_class = OrgKdeKwinIdleTimeoutResource
OrgKdeKwinIdleTimeout.global_class = OrgKdeKwinIdleTimeoutGlobal

OrgKdeKwinIdle._gen_c()
OrgKdeKwinIdle.proxy_class = OrgKdeKwinIdleProxy
OrgKdeKwinIdle.resource_class = OrgKdeKwinIdleResource
OrgKdeKwinIdle.global_class = OrgKdeKwinIdleGlobal

# The cog system user and group the services run as (shared by cog-server's and cog-relay's postinst: build.sh puts
# this file in place of the postinst's marker line). Its home is /var/lib/cog, where the services keep their state.
if ! getent passwd cog >/dev/null; then
    useradd --system --user-group --home-dir /var/lib/cog --no-create-home --shell /usr/sbin/nologin \
        --comment "Cog ChatOps" cog
fi
install -d -o root -g cog -m 0755 /var/lib/cog
install -d -o root -g cog -m 0750 /etc/cog

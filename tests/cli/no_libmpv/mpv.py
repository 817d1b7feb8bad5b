# Stands in for python-mpv on a machine without libmpv: python-mpv raises exactly this at import.
raise OSError("Cannot find libmpv in the usual places. Depending on your distro, you may try "
              "installing an mpv-devel or mpv-libs package.")

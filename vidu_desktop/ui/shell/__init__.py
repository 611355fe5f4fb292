"""The shell: ``main_window.MainWindow`` builds the areas and wires them (signals between
compose, tasks and review), ``main_menu`` its menus, ``status`` the status bar and
notifications, ``account_feed`` the hosts' account lines, ``banners``, ``host_settings`` (keys
and hosts), ``crash``, ``single_instance``, ``self_test``, ``about``."""

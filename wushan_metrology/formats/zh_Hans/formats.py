"""The UI's one date format (settings.FORMAT_MODULE_PATH; the rest is Django's zh_Hans).

Pages show dates as Django's zh_Hans does, 2025年5月20日 (`|date`) and 2025年5月20日 09:30
(`|date:"DATETIME_FORMAT"`); templates name no format of their own. Inputs show and read ISO dates
first (2025-05-20): an <input type="date"> only takes that, and Django's zh_Hans puts 2025/05/20 first,
which left date pickers empty on edit pages. Spreadsheets keep their yyyy-mm-dd cell format.
Short dates in tight tables use `|date:"MONTH_DAY_FORMAT"`: 5月20日 (Django's zh_Hans says 05月20日).
"""

MONTH_DAY_FORMAT = "n月j日"

DATE_INPUT_FORMATS = [
    "%Y-%m-%d",  # 2025-05-20
    "%Y/%m/%d",  # 2025/05/20
    "%Y年%m月%d日",  # 2025年5月20日
]
DATETIME_INPUT_FORMATS = [
    "%Y-%m-%d %H:%M",  # 2025-05-20 09:30
    "%Y-%m-%dT%H:%M",  # 2025-05-20T09:30 (<input type="datetime-local">)
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%dT%H:%M:%S",
    "%Y/%m/%d %H:%M",
    "%Y/%m/%d %H:%M:%S",
    "%Y年%m月%d日 %H:%M",
]

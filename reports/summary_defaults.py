"""The 工作总结's wording as shipped: (key, heading, text), in order. Pure data, so that the data
migration that copies it into SummaryTemplate rows (editable in the admin) can import it.

Placeholders are reports.figures keys: {key} is the report's period (or a stock's current value),
{key_total} the 累计; {campaign}, {theme}, {period}, {unit} and {today} describe the report.
"""

DEFAULT_TEMPLATES: list[tuple[str, str, str]] = [
    (
        "basic",
        "一、基本情况",
        "{period}，{unit}围绕“{theme}”主题，组织开展{campaign}。统计期内，开展微站活动{station_activities}场、"
        "线下宣传活动{offline_events}场、线上推送{online_posts}条，出动执法人员{inspection_turnout}人次，"
        "服务中小企业{visits}次。",
    ),
    ("practices", "二、主要做法和成效", ""),
    (
        "stations",
        "（一）民生计量科普宣传服务微站",
        "已建成并揭牌运行微站{stations_opened}个（登记{stations}个），招募义务宣传员{publicists}名、"
        "小小宣传员{juniors}名。统计期内开展微站活动{station_activities}场，覆盖群众{station_people}人次，"
        "发放资料{station_materials}份；活动开始以来累计{station_activities_total}场、{station_people_total}人次。",
    ),
    (
        "publicity",
        "（二）“守护民生 公平计量”线上线下宣传",
        "统计期内开展线下宣传活动{offline_events}场，参与群众{participants}人次，发放资料{publicity_materials}份，"
        "接受咨询{consultations}人次；线上推送{online_posts}条，阅读{online_views}次。报送信息{news_items}条，"
        "被采用{news_adopted}条。",
    ),
    (
        "inspections",
        "（三）民生计量专项检查",
        "统计期内出动执法人员{inspection_turnout}人次，检查计量器具{inspection_instruments}台件，"
        "发现问题{inspection_problems}个，立案{inspection_cases}件，罚没款合计{inspection_penalty_wan}万元。",
    ),
    (
        "enterprises",
        "（四）计量服务中小企业行",
        "统计期内服务中小企业{visits}次，帮助解决计量问题{visit_problems_solved}个，"
        "检定校准器具{visit_instruments}台件，减免费用{visit_fees_waived}元。",
    ),
    (
        "opinion",
        "（五）舆情监控和信息报送",
        "统计期内发现计量相关舆情{incidents}起，已办结{incidents_closed}起。",
    ),
    (
        "problems",
        "三、存在问题",
        "一是部分任务推进不够及时，逾期未完成{tasks_overdue}项、尚未签收{tasks_unacknowledged}项；"
        "二是基层宣传力量仍显不足，群众对计量知识的知晓度有待进一步提高。",
    ),
    (
        "next_steps",
        "四、下一步打算",
        "一是持续发挥微站和宣传员作用，推动计量宣传常态化；二是深化民生计量专项检查，严厉打击短斤少两和"
        "计量作弊行为；三是扎实推进计量服务中小企业行，建立长效工作机制。",
    ),
]

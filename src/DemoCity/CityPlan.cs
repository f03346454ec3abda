using Platform.ServiceDefaults.Geography;

namespace Platform.DemoCity;

public sealed record District(string Name, string Pinyin, string DivisionCode, double Latitude, double Longitude, int Weight, string[] Streets)
{
    public GeoPoint Centre => new(Latitude, Longitude);
}

public sealed record PlannedCommunity(int Index, string Name, District District, string Street, double Latitude, double Longitude)
{
    public GeoPoint Position => new(Latitude, Longitude);
}

public sealed record PlannedEnterprise(int Index, string Name, string CreditCode, string Industry, District District, string[] Occupations);

/// <summary>Kind is kebab-case (industry-committee, ...); Parent is the index of the parent in the plan, if any.</summary>
public sealed record PlannedOrganization(int Index, string Name, string Kind, int? Parent, int[] Enterprises, DateOnly AppliedOn, DateOnly ApprovedOn, string ApprovingBody);

public sealed record PlannedStation(int Index, string Name, string HostType, int Community, string Address, double Latitude, double Longitude, bool AroundTheClock,
    string Opens, string Closes, string[] Amenities);

/// <summary>A worker: who they are, where they work and serve, and what they do while the demo runs.</summary>
public sealed record PlannedWorker(int Index, string Name, string Phone, string Occupation, int Enterprise, bool PartyMember, DateOnly? PartyJoinedOn,
    int Community, PlannedHazard? Hazard, PlannedCase? Case);

/// <summary>A red volunteer vanguard team (红色志愿先锋队): a Party member leads workers of the same community.</summary>
public sealed record PlannedTeam(int Index, string Name, int Community, int Leader, int[] Members);

/// <summary>
/// A report of the city's earlier ledger. Outcome: how far it was moved on (open, acknowledged, in-progress, closed);
/// reported <see cref="HoursAgo"/> hours before the load, each step of the outcome <see cref="StepHours"/> hours after
/// the report (the last one still before the load).
/// </summary>
public sealed record PlannedHazard(int Index, string Category, double Latitude, double Longitude, string Description, string Outcome, int HoursAgo, int[] StepHours);

/// <summary>
/// A case of the earlier ledger. Outcome: how far it got (submitted, assigned, in-progress, resolved); submitted
/// <see cref="HoursAgo"/> hours before the load, its steps (triage, assignment, start, resolution, as far as the
/// outcome goes) <see cref="StepHours"/> hours after submission.
/// </summary>
public sealed record PlannedCase(int Index, string Category, string Description, string Outcome, int HoursAgo, int[] StepHours);

public sealed record PlannedCourse(int Index, string Title, string Kind, string Provider, string ProviderName, string Delivery, string? Address, int Capacity,
    int FirstSessionInDays, int Sessions);

public sealed record PlannedStudyActivity(int Index, int Organization, string Kind, string Theme, int DaysAgo, DateOnly? FixedDate, int Attendance);

public sealed record PlannedArticle(int Index, int Organization, string Category, string Title, string Body);

public sealed record PlannedCall(int Index, int HoursAgo, int DurationSeconds, string Category, string Outcome);

/// <summary>A joint activity <see cref="InDays"/> days from the load: held, with its participants, when that is in the past.</summary>
public sealed record PlannedActivity(int Index, string Title, string Kind, string[] Partners, int InDays, string Location, District District, int? Participants);

/// <summary>Staff users the demo signs in as; Specialty only for professionals, Communities (plan indices) only for community staff.</summary>
public sealed record PlannedStaff(string UserName, string Role, District? District, string? Specialty, string DisplayName, int[]? Communities = null);

/// <summary>
/// The demo city, generated from a fixed seed: the same scale always gives the same city (names, phones, codes,
/// positions). Figures follow the Langfang report. The scale multiplies the per-person figures
/// (communities, stations, workers, hazards, cases, calls, study sessions, articles): below 1 it shrinks them for
/// tests, above 1 it plans a larger city (10: 2,370 communities, 2,410 stations, 75,000 workers), whose courses grow
/// with it. The handful of enterprises, organizations and activities stay as in the report.
/// </summary>
public sealed class CityPlan
{
    public const int Seed = 20221009;

    public static readonly IReadOnlyList<District> Districts =
    [
        new("广阳区", "guangyang", "131003", 39.5233, 116.7103, 40, ["银河北路街道", "新开路街道", "新源道街道", "解放道街道", "爱民东道街道", "北旺乡"]),
        new("安次区", "anci", "131002", 39.5027, 116.6944, 28, ["银河南路街道", "光明西道街道", "永华道街道", "落垡镇", "码头镇"]),
        new("三河市", "sanhe", "131082", 39.9826, 117.0782, 34, ["燕郊镇", "鼓楼街道", "泃阳镇", "李旗庄镇"]),
        new("霸州市", "bazhou", "131081", 39.1258, 116.3917, 26, ["裕华街道", "胜芳镇", "南孟镇", "信安镇"]),
        new("固安县", "gu-an", "131022", 39.4384, 116.2989, 22, ["固安镇", "宫村镇", "柳泉镇", "牛驼镇"]),
        new("永清县", "yongqing", "131023", 39.3213, 116.4989, 16, ["永清镇", "韩村镇", "后奕镇"]),
        new("香河县", "xianghe", "131024", 39.7614, 117.0063, 20, ["淑阳镇", "蒋辛屯镇", "渠口镇"]),
        new("大城县", "dacheng", "131025", 38.7053, 116.6539, 15, ["平舒镇", "旺村镇", "南赵扶镇"]),
        new("文安县", "wen-an", "131026", 38.8732, 116.4579, 17, ["文安镇", "新镇镇", "苏桥镇"]),
        new("大厂回族自治县", "dachang", "131028", 39.8865, 116.9894, 19, ["大厂镇", "夏垫镇", "祁各庄镇"]),
    ];

    /// <summary>Ten times the report's city: 75,000 workers, whose demo phones stay unique up to 100,000.</summary>
    public const double MaxScale = 10;

    public const int ReportCommunities = 237;
    public const int ReportStations = 241;
    public const int ReportWorkers = 7_500;
    public const int ReportHazards = 620;
    public const int ReportCases = 186;
    public const int ReportCalls = 312;
    public const int ReportCourses = 22;
    public const int ReportStudySessions = 1_240;
    public const int ReportArticles = 1_620;
    /// <summary>The report's 130 vanguard volunteers, in teams of ten (a leader and nine members).</summary>
    public const int ReportVanguardVolunteers = 130;
    public const int TeamSize = 10;

    private static readonly string[] CommunityHeads =
        ["和平", "幸福", "朝阳", "光明", "新华", "建设", "胜利", "团结", "友谊", "金桥", "银河", "翠竹", "丽景", "安居", "康乐", "祥云",
         "永兴", "福源", "华苑", "锦绣", "春晖", "柳荫", "文昌", "盛世"];
    private static readonly string[] CommunityTails = ["社区", "里社区", "园社区", "家园社区", "村", "庄村"];
    private static readonly string[] Surnames =
        ["王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭", "何", "高", "林", "罗", "郑", "梁", "谢", "宋", "唐", "韩", "冯", "于", "董", "萧"];
    private static readonly string[] GivenNames =
        ["伟", "强", "磊", "军", "勇", "杰", "涛", "斌", "超", "明", "刚", "平", "辉", "鹏", "华", "飞", "鑫", "波", "宁", "俊", "帅", "浩", "亮", "静", "丽", "敏", "燕", "霞", "娟", "婷"];

    private static readonly (string Brand, string Industry, string[] Occupations)[] Brands =
    [
        ("顺丰速运", "express", ["courier"]), ("中通快递", "express", ["courier"]), ("圆通速递", "express", ["courier"]),
        ("韵达快递", "express", ["courier"]), ("申通快递", "express", ["courier"]), ("京东物流", "express", ["courier"]),
        ("极兔速递", "express", ["courier"]), ("中国邮政快递", "express", ["courier"]), ("德邦快递", "express", ["courier"]),
        ("美团外卖", "food-delivery", ["food-delivery-rider"]), ("饿了么", "food-delivery", ["food-delivery-rider"]),
        ("美团外卖", "food-delivery", ["food-delivery-rider"]), ("饿了么", "food-delivery", ["food-delivery-rider"]),
        ("美团外卖", "food-delivery", ["food-delivery-rider"]), ("达达快送", "food-delivery", ["food-delivery-rider"]),
        ("滴滴出行", "ride-hail", ["ride-hail-driver"]), ("曹操出行", "ride-hail", ["ride-hail-driver"]), ("T3出行", "ride-hail", ["ride-hail-driver"]),
        ("花小猪打车", "ride-hail", ["ride-hail-driver"]), ("高德打车", "ride-hail", ["ride-hail-driver"]),
        ("抖音电商", "live-stream-ecommerce", ["live-stream-seller"]), ("快手电商", "live-stream-ecommerce", ["live-stream-seller"]),
        ("淘宝直播", "live-stream-ecommerce", ["live-stream-seller"]), ("京东物流", "express", ["courier"]),
    ];

    private static readonly string[] HazardCategories = ["open-garbage", "clutter", "illegal-construction", "broken-manhole-cover", "hanging-cable", "elevator-failure", "other"];
    private static readonly string[] HazardTexts =
    [
        "路边垃圾堆放未清运，有异味", "楼道内杂物堆积，堵塞通道", "小区内私搭乱建彩钢房", "井盖破损下陷，电动车易摔倒", "电线低垂横跨路面", "单元电梯停运两天无人维修", "路灯不亮，夜间送餐看不清路",
    ];
    private static readonly string[] CaseCategories = ["psychological-support", "psychological-support", "unpaid-wages", "labour-contract", "traffic-accident-or-injury", "insurance-and-social-security", "platform-penalty-or-algorithm"];
    private static readonly string[] CaseTexts =
    [
        "最近接单压力很大，晚上睡不着，想找人聊聊", "和家里人因为工作时间闹矛盾，心里憋屈", "站点拖欠了两个月工资，不知道怎么维权", "签的是劳务协议不是劳动合同，想问清楚权益",
        "送餐途中被车刮倒，医药费谁来承担", "想了解灵活就业人员怎么交社保", "平台超时罚款太重，申诉没有回应",
    ];

    public CityPlan(double scale = 1.0)
    {
        if (scale is <= 0 or > MaxScale)
        {
            throw new ArgumentOutOfRangeException(nameof(scale), scale, $"The scale multiplies the report's figures: more than 0, at most {MaxScale}.");
        }
        Scale = scale;
        var random = new Random(Seed);
        // Times of the history come from their own sequence, so the city itself (names, phones, places) stays as it was.
        var history = new Random(Seed + 1);
        Communities = PlanCommunities(Scaled(ReportCommunities, 3), random);
        Enterprises = PlanEnterprises(random);
        Organizations = PlanOrganizations();
        Stations = PlanStations(Scaled(ReportStations, 3), random);
        Workers = PlanWorkers(Scaled(ReportWorkers, 12), Scaled(ReportHazards, 3), Scaled(ReportCases, 3), random, history);
        Courses = PlanCourses(Math.Max(ReportCourses, Scaled(ReportCourses, 1)));
        StudyActivities = PlanStudyActivities(Scaled(ReportStudySessions, 3), random);
        Articles = PlanArticles(Scaled(ReportArticles, 3));
        Calls = PlanCalls(Scaled(ReportCalls, 3), random);
        Activities = PlanActivities(history);
        Staff = PlanStaff();
        VanguardTeams = PlanTeams(Scaled(ReportVanguardVolunteers / TeamSize, 1));
    }

    public double Scale { get; }
    public IReadOnlyList<PlannedCommunity> Communities { get; }
    public IReadOnlyList<PlannedEnterprise> Enterprises { get; }
    public IReadOnlyList<PlannedOrganization> Organizations { get; }
    public IReadOnlyList<PlannedStation> Stations { get; }
    public IReadOnlyList<PlannedWorker> Workers { get; }
    public IReadOnlyList<PlannedCourse> Courses { get; }
    public IReadOnlyList<PlannedStudyActivity> StudyActivities { get; }
    public IReadOnlyList<PlannedArticle> Articles { get; }
    public IReadOnlyList<PlannedCall> Calls { get; }
    public IReadOnlyList<PlannedActivity> Activities { get; }
    public IReadOnlyList<PlannedStaff> Staff { get; }
    public IReadOnlyList<PlannedTeam> VanguardTeams { get; }

    /// <summary>Leaders and members of all vanguard teams.</summary>
    public int VanguardVolunteers => VanguardTeams.Sum(t => 1 + t.Members.Length);

    public IEnumerable<PlannedHazard> Hazards => Workers.Where(w => w.Hazard is not null).Select(w => w.Hazard!);
    public IEnumerable<PlannedCase> Cases => Workers.Where(w => w.Case is not null).Select(w => w.Case!);

    /// <summary>Identity lets one staff user serve at most this many communities.</summary>
    public const int CommunitiesPerStaff = 50;

    /// <summary>
    /// The user name of the community staff serving a community: one per district (<c>demo.staff.guangyang</c>), and in
    /// a district with more than <see cref="CommunitiesPerStaff"/> communities, one more per that many
    /// (<c>demo.staff.guangyang.2</c>, ...).
    /// </summary>
    public string StaffServing(int community) => _staffServing[community];

    private readonly Dictionary<int, string> _staffServing = [];

    /// <summary>
    /// One team in each of the first communities that have a Party member among their workers and enough workers
    /// for a team: the first Party member leads, the next workers of the community join.
    /// </summary>
    private List<PlannedTeam> PlanTeams(int count)
    {
        var teams = new List<PlannedTeam>(count);
        foreach (var community in Communities)
        {
            if (teams.Count == count)
            {
                break;
            }
            var workers = Workers.Where(w => w.Community == community.Index).ToList();
            var leader = workers.FirstOrDefault(w => w.PartyMember);
            if (leader is null || workers.Count < 2)
            {
                continue;
            }
            var members = workers.Where(w => w.Index != leader.Index).Take(TeamSize - 1).Select(w => w.Index).ToArray();
            teams.Add(new PlannedTeam(teams.Count, $"{community.Name}红色志愿先锋队", community.Index, leader.Index, members));
        }
        return teams;
    }

    private int Scaled(int figure, int minimum) => Math.Max(minimum, (int)Math.Round(figure * Scale));

    private static List<PlannedCommunity> PlanCommunities(int count, Random random)
    {
        var totalWeight = Districts.Sum(d => d.Weight);
        var perDistrict = Districts.Select(d => Math.Max(1, count * d.Weight / totalWeight)).ToArray();
        // Rounding down leaves a few over: the largest districts take them, and a tiny plan drops from the smallest.
        for (var i = 0; perDistrict.Sum() < count; i++)
        {
            perDistrict[i % perDistrict.Length]++;
        }
        for (var i = perDistrict.Length - 1; perDistrict.Sum() > count; i = i == 0 ? perDistrict.Length - 1 : i - 1)
        {
            if (perDistrict[i] > 0)
            {
                perDistrict[i]--;
            }
        }
        var communities = new List<PlannedCommunity>(count);
        for (var d = 0; d < Districts.Count; d++)
        {
            var district = Districts[d];
            for (var k = 0; k < perDistrict[d]; k++)
            {
                var street = district.Streets[k % district.Streets.Length];
                var head = CommunityHeads[(k / district.Streets.Length) % CommunityHeads.Length];
                var tail = street.EndsWith('镇') || street.EndsWith('乡') ? CommunityTails[4 + k % 2] : CommunityTails[k % 4];
                // Unique in its street: a numbered head once the heads run out.
                var round = k / (district.Streets.Length * CommunityHeads.Length);
                var name = round == 0 ? head + tail : $"{head}{round + 1}{tail}";
                // Spread within about 6 km of the district's centre (towns further out than town streets, roughly).
                var at = district.Centre.Offset((random.NextDouble() - 0.5) * 12_000, (random.NextDouble() - 0.5) * 12_000);
                communities.Add(new PlannedCommunity(communities.Count, name, district, street, Math.Round(at.Latitude, 6), Math.Round(at.Longitude, 6)));
            }
        }
        return communities;
    }

    private static List<PlannedEnterprise> PlanEnterprises(Random random)
    {
        var enterprises = new List<PlannedEnterprise>();
        for (var i = 0; i < Brands.Length; i++)
        {
            var (brand, industry, occupations) = Brands[i];
            var district = Districts[i % Districts.Count];
            var site = industry switch
            {
                "express" => "营业部",
                "food-delivery" => "配送站",
                "ride-hail" => "运营服务中心",
                _ => "直播基地",
            };
            var name = $"{brand}廊坊{district.Name}{site}";
            enterprises.Add(new PlannedEnterprise(i, name, CreditCode(district.DivisionCode, random), industry, district, occupations));
        }
        return enterprises;
    }

    /// <summary>A Unified Social Credit Code (GB 32100-2015) of a registered company (9 1), with its check character.</summary>
    public static string CreditCode(string divisionCode, Random random)
    {
        const string alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";
        var organizationCode = "MA0" + new string([.. Enumerable.Range(0, 6).Select(_ => alphabet[random.Next(alphabet.Length)])]);
        var first17 = "91" + divisionCode + organizationCode;
        return first17 + CheckCharacter(first17);
    }

    /// <summary>31 minus the weighted sum modulo 31 (31 written as 0), over the code's alphabet.</summary>
    public static char CheckCharacter(string first17)
    {
        const string alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";
        int[] weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
        var sum = 0;
        for (var i = 0; i < 17; i++)
        {
            sum += alphabet.IndexOf(first17[i], StringComparison.Ordinal) * weights[i];
        }
        var check = 31 - (sum % 31);
        return alphabet[check == 31 ? 0 : check];
    }

    private List<PlannedOrganization> PlanOrganizations()
    {
        // Three industry committees (express, food delivery, ride-hail: the report's industry Party committees) and
        // twelve enterprise-level organizations under them covering the 24 enterprises, two each: 15 organizations.
        var organizations = new List<PlannedOrganization>
        {
            new(0, "廊坊市快递行业党委", "industry-committee", null, [], new DateOnly(2022, 5, 10), new DateOnly(2022, 6, 15), "中共廊坊市委两新工委"),
            new(1, "廊坊市外卖配送行业党委", "industry-committee", null, [], new DateOnly(2022, 3, 1), new DateOnly(2022, 3, 28), "中共廊坊市委两新工委"),
            new(2, "廊坊市网约车行业党委", "industry-committee", null, [], new DateOnly(2022, 3, 1), new DateOnly(2022, 4, 2), "中共廊坊市委两新工委"),
        };
        var pairs = Enterprises.Select(e => e.Index).Chunk(2).ToList();
        for (var i = 0; i < pairs.Count; i++)
        {
            var first = Enterprises[pairs[i][0]];
            // Live-stream sellers have no industry committee yet: their organizations stand at the top.
            int? parent = first.Industry switch
            {
                "express" => 0,
                "food-delivery" => 1,
                "ride-hail" => 2,
                _ => null,
            };
            var kind = i % 3 == 0 ? "general-branch" : "branch";
            var brand = first.Name[..first.Name.IndexOf("廊坊", StringComparison.Ordinal)];
            var applied = new DateOnly(2022, 4, 1).AddDays(i * 9);
            organizations.Add(new PlannedOrganization(organizations.Count, $"{brand}廊坊{first.District.Name}{(kind == "branch" ? "党支部" : "党总支")}", kind, parent,
                pairs[i], applied, applied.AddDays(21), "廊坊市" + first.District.Name + "两新工委"));
        }
        return organizations;
    }

    private List<PlannedStation> PlanStations(int count, Random random)
    {
        string[] hosts = ["party-service-centre", "street-community", "street-community", "volunteer-association", "bank-branch", "enterprise"];
        string[] hostNames = ["党群服务中心", "社区服务站", "社区驿站", "志愿者协会", "银行网点", "企业站点"];
        string[] core = ["water", "charging", "microwave", "rest"];
        string[] extra = ["toilet", "heating", "cooling", "first-aid-kit", "medicine", "masks", "umbrellas", "reading", "wi-fi"];
        var stations = new List<PlannedStation>(count);
        for (var i = 0; i < count; i++)
        {
            var community = Communities[i % Communities.Count];
            var host = i % hosts.Length;
            // The six cans need heating, cooling, water, rest, medicine and charging: most stations have them all.
            var amenities = core.Concat(extra.Where((_, k) => k < 3 || random.NextDouble() < 0.7)).ToArray();
            var aroundTheClock = i % 7 == 0;
            // Within about 500 m of its community's office.
            var at = community.Position.Offset((random.NextDouble() - 0.5) * 1_100, (random.NextDouble() - 0.5) * 1_000);
            stations.Add(new PlannedStation(i, $"{community.Street}{community.Name}红色驿站({hostNames[host]}{i / Communities.Count + 1})", hosts[host], community.Index,
                $"廊坊市{community.District.Name}{community.Street}{community.Name}{10 + i % 90}号", Math.Round(at.Latitude, 6), Math.Round(at.Longitude, 6), aroundTheClock,
                aroundTheClock ? "00:00" : (i % 3 == 0 ? "07:30" : "08:00"), aroundTheClock ? "24:00" : (i % 2 == 0 ? "21:00" : "20:00"), amenities));
        }
        return stations;
    }

    /// <summary>How far back the demo's history reaches: about six months.</summary>
    public const int HistoryHours = 180 * 24;

    private List<PlannedWorker> PlanWorkers(int count, int hazards, int cases, Random random, Random history)
    {
        var workers = new List<PlannedWorker>(count);
        var hazardEvery = Math.Max(1, count / hazards);
        var caseEvery = Math.Max(1, count / cases);
        var hazardIndex = 0;
        var caseIndex = 0;
        var spacing = new HazardSpacing();
        for (var i = 0; i < count; i++)
        {
            var roll = random.NextDouble();
            var occupation = roll < 0.40 ? "courier" : roll < 0.76 ? "food-delivery-rider" : roll < 0.95 ? "ride-hail-driver" : "live-stream-seller";
            var candidates = Enterprises.Where(e => e.Occupations.Contains(occupation)).ToList();
            var enterprise = candidates[random.Next(candidates.Count)];
            var name = Surnames[random.Next(Surnames.Length)] + GivenNames[random.Next(GivenNames.Length)] + (random.NextDouble() < 0.6 ? GivenNames[random.Next(GivenNames.Length)] : "");
            // 13x-mmmm-nnnn: the masked form (13x****nnnn) is unique per worker, so staff lists show which are loaded.
            var phone = $"13{i / 10_000 % 10}{random.Next(10_000):D4}{i % 10_000:D4}";
            var partyMember = random.NextDouble() < 0.08;
            DateOnly? joined = partyMember ? new DateOnly(1995 + random.Next(27), 1 + random.Next(12), 1 + random.Next(28)) : null;
            var community = Communities[i % Communities.Count];

            PlannedHazard? hazard = null;
            if (i % hazardEvery == hazardEvery / 2 && hazardIndex < hazards)
            {
                var h = hazardIndex++;
                var c = random.Next(HazardCategories.Length);
                // A grid of 55 m cells around the community; a report that would fall within 30 m of one of its category
                // (a neighbouring community's grid) moves on, so none joins another as a "me too".
                var at = spacing.Place(HazardCategories[c], community.Position.Offset(((h % 25) - 12) * 55.0, ((h / 25 % 25) - 12) * 55.0));
                var (lat, lon) = (at.Latitude, at.Longitude);
                var outcome = (h % 20) switch
                {
                    < 13 => "closed",
                    < 15 => "in-progress",
                    < 16 => "acknowledged",
                    _ => "open",
                };
                var steps = HazardSteps(outcome, history);
                hazard = new PlannedHazard(h, HazardCategories[c], Math.Round(lat, 6), Math.Round(lon, 6), HazardTexts[c], outcome,
                    HoursAgo(outcome == "closed" ? HistoryHours : outcome == "in-progress" ? 14 * 24 : outcome == "acknowledged" ? 5 * 24 : 3 * 24, steps, history), steps);
            }
            PlannedCase? rightsCase = null;
            if (i % caseEvery == caseEvery / 3 && caseIndex < cases)
            {
                var k = caseIndex++;
                var c = random.Next(CaseCategories.Length);
                var outcome = (k % 10) switch
                {
                    < 6 => "resolved",
                    < 8 => "in-progress",
                    < 9 => "assigned",
                    _ => "submitted",
                };
                var steps = CaseSteps(outcome, history);
                // Cases still waiting are recent (a team that lets a case wait for weeks is not the report's team).
                rightsCase = new PlannedCase(k, CaseCategories[c], CaseTexts[c], outcome,
                    HoursAgo(outcome == "resolved" ? HistoryHours : outcome == "in-progress" ? 21 * 24 : 12, steps, history), steps);
            }
            workers.Add(new PlannedWorker(i, name, phone, occupation, enterprise.Index, partyMember, joined, community.Index, hazard, rightsCase));
        }
        return workers;
    }

    /// <summary>Acknowledged within a day, work begun within three, closed within three weeks.</summary>
    private static int[] HazardSteps(string outcome, Random history)
    {
        var acknowledged = 1 + history.Next(24);
        var inProgress = acknowledged + 2 + history.Next(70);
        var closed = inProgress + 24 + history.Next(19 * 24);
        return outcome switch
        {
            "closed" => [acknowledged, inProgress, closed],
            "in-progress" => [acknowledged, inProgress],
            "acknowledged" => [acknowledged],
            _ => [],
        };
    }

    /// <summary>Triaged within hours, assigned the same day, taken up mostly within the day, resolved within two weeks.</summary>
    private static int[] CaseSteps(string outcome, Random history)
    {
        var triaged = 1 + history.Next(3);
        var assigned = triaged + 1 + history.Next(5);
        var started = assigned + 1 + history.Next(16);
        var resolved = started + 24 + history.Next(13 * 24);
        return outcome switch
        {
            "resolved" => [triaged, assigned, started, resolved],
            "in-progress" => [triaged, assigned, started],
            "assigned" => [triaged, assigned],
            _ => [],
        };
    }

    /// <summary>Hours before the load, within <paramref name="window"/>, leaving room for every step before the load.</summary>
    private static int HoursAgo(int window, int[] steps, Random history)
    {
        var last = steps.Length == 0 ? 0 : steps[^1];
        return last + 1 + history.Next(Math.Max(1, window - last - 1));
    }

    private static List<PlannedCourse> PlanCourses(int count)
    {
        (string Title, string Kind, string Provider, string ProviderName, string Delivery)[] courses =
        [
            ("办公软件基础：Word 与 Excel", "office-software", "training-institution", "廊坊市职业技能培训中心", "address"),
            ("办公软件进阶：表格与报表", "office-software", "training-institution", "廊坊市职业技能培训中心", "online"),
            ("短视频拍摄与剪辑入门", "short-video-editing", "university", "北华航天工业学院", "address"),
            ("短视频剪辑：手机剪辑实战", "short-video-editing", "university", "廊坊师范学院", "online"),
            ("直播营销：从零开播", "live-stream-marketing", "training-institution", "廊坊市电子商务协会", "address"),
            ("直播营销：农产品带货", "live-stream-marketing", "training-institution", "廊坊市电子商务协会", "online"),
            ("红色直播间主播培训", "live-stream-marketing", "organization", "廊坊市委两新工委", "address"),
            ("双学晨会：新就业形态政策解读", "double-study", "organization", "廊坊市快递行业党委", "online"),
            ("双学午间课：交通安全", "double-study", "organization", "廊坊市外卖配送行业党委", "online"),
            ("三会一课：支部书记轮训", "three-meetings-one-lesson", "organization", "廊坊市委两新工委", "address"),
        ];
        var planned = new List<PlannedCourse>();
        for (var i = 0; i < count; i++)
        {
            var c = courses[i % courses.Length];
            var edition = i / courses.Length + 1;
            planned.Add(new PlannedCourse(i, edition == 1 ? c.Title : $"{c.Title}（第{edition}期）", c.Kind, c.Provider, c.ProviderName, c.Delivery,
                c.Delivery == "address" ? "廊坊市广阳区新华路 70 号 市民服务中心 3 楼" : null, 30 + i % 4 * 10, 3 + i * 2 % 90, 2 + i % 3));
        }
        return planned;
    }

    private List<PlannedStudyActivity> PlanStudyActivities(int count, Random random)
    {
        string[] themes = ["学习新就业群体权益保障政策", "交通安全与文明配送", "快递业务规范与服务礼仪", "防暑降温与健康知识", "反诈宣传进站点", "党的二十大精神学习", "消防安全常识"];
        var enterpriseLevel = Organizations.Where(o => o.Kind != "industry-committee").Select(o => o.Index).ToArray();
        var year = DateTime.UtcNow.Year;
        DateOnly[] fixedDates = [new(year, 5, 1), new(year, 7, 1), new(year, 10, 1)];
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        fixedDates = [.. fixedDates.Where(d => d <= today)];
        var activities = new List<PlannedStudyActivity>(count);
        for (var i = 0; i < count; i++)
        {
            var organization = enterpriseLevel[i % enterpriseLevel.Length];
            if (i % 50 == 0 && fixedDates.Length > 0)
            {
                var date = fixedDates[i / 50 % fixedDates.Length];
                activities.Add(new PlannedStudyActivity(i, Organizations[(i / 50) % 3].Index, "themed-day", "固定学习日：" + themes[i % themes.Length], 0, date, 40 + random.Next(120)));
                continue;
            }
            var kind = i % 9 == 0 ? "three-meetings-one-lesson" : "double-study";
            activities.Add(new PlannedStudyActivity(i, organization, kind, themes[i % themes.Length], 1 + i * 7 % 270, null, 6 + random.Next(30)));
        }
        return activities;
    }

    private List<PlannedArticle> PlanArticles(int count)
    {
        string[] policy = ["关于维护新就业形态劳动者劳动保障权益的指导意见解读", "灵活就业人员参加社会保险指南", "职业伤害保障试点问答", "快递员工资支付保障措施"];
        string[] skills = ["电动车安全驾驶十条", "夏季送餐防暑小贴士", "如何用手机剪出一条好视频", "直播带货话术入门", "客户投诉的沟通技巧"];
        var articles = new List<PlannedArticle>(count);
        for (var i = 0; i < count; i++)
        {
            var isPolicy = i % 5 < 2;
            var title = isPolicy ? policy[i % policy.Length] : skills[i % skills.Length];
            articles.Add(new PlannedArticle(i, Organizations[i % Organizations.Count].Index, isPolicy ? "policy" : "skills", $"{title}（{i + 1}）",
                $"{title}。本文由廊坊市新就业群体服务平台整理发布，供快递员、外卖骑手、网约车司机学习参考。"));
        }
        return articles;
    }

    private static List<PlannedCall> PlanCalls(int count, Random random)
    {
        string[] outcomes = ["advice-given", "advice-given", "advice-given", "referred", "callback-arranged", "advice-given", "dropped"];
        var calls = new List<PlannedCall>(count);
        for (var i = 0; i < count; i++)
        {
            // Spread over about six months, more in the evenings when shifts end.
            calls.Add(new PlannedCall(i, 2 + i * 13 % (180 * 24), 90 + random.Next(1_500), CaseCategories[random.Next(CaseCategories.Length)], outcomes[i % outcomes.Length]));
        }
        return calls;
    }

    /// <summary>Of the report's 25 activities, those planned before the load were held.</summary>
    public const int UpcomingActivities = 6;

    private static List<PlannedActivity> PlanActivities(Random history)
    {
        (string Title, string Kind, string[] Partners)[] kinds =
        [
            ("新就业群体专场招聘会", "job-fair", ["hr-bureau"]), ("骑手健康义诊", "health-clinic", ["hospital", "red-cross"]),
            ("小哥联谊会", "social", ["trade-union", "womens-federation"]), ("走访慰问一线快递员", "visit", ["trade-union"]),
            ("应急救护培训", "other", ["red-cross"]),
        ];
        var activities = new List<PlannedActivity>();
        for (var i = 0; i < 25; i++)
        {
            var k = kinds[i % kinds.Length];
            var district = Districts[i % Districts.Count];
            // The held ones about every nine days over the last six months, the rest weekly from next week.
            var held = i < 25 - UpcomingActivities;
            var inDays = held ? -(5 + (25 - UpcomingActivities - 1 - i) * 9) : 3 + (i - (25 - UpcomingActivities)) * 7;
            activities.Add(new PlannedActivity(i, $"{k.Title}（{district.Name}）", k.Kind, k.Partners, inDays, $"{district.Name}党群服务中心", district,
                held ? 30 + history.Next(120) : null));
        }
        return activities;
    }

    private List<PlannedStaff> PlanStaff()
    {
        var staff = new List<PlannedStaff>
        {
            new("demo.officer", "org-officer", null, null, "市委两新工委干部"),
            new("demo.supervisor", "supervisor", null, null, "权益保障督导"),
            new("demo.counsellor.1", "professional", Districts[0], "counselling", "心理咨询师 周老师"),
            new("demo.counsellor.2", "professional", Districts[2], "counselling", "心理咨询师 林老师"),
            new("demo.lawyer.1", "professional", Districts[0], "legal", "社区法律工作者 陈律师"),
            new("demo.lawyer.2", "professional", Districts[1], "legal", "社区法律工作者 何律师"),
        };
        foreach (var district in Districts)
        {
            var chunks = Communities.Where(c => c.District == district).Select(c => c.Index).Chunk(CommunitiesPerStaff).ToList();
            for (var k = 0; k < chunks.Count; k++)
            {
                var userName = k == 0 ? $"demo.staff.{district.Pinyin}" : $"demo.staff.{district.Pinyin}.{k + 1}";
                staff.Add(new PlannedStaff(userName, "community-staff", district, null, district.Name + "社区工作者" + (k == 0 ? "" : $"{k + 1}"), chunks[k]));
                foreach (var community in chunks[k])
                {
                    _staffServing[community] = userName;
                }
            }
        }
        return staff;
    }
}

/// <summary>
/// Keeps planned hazard reports of one category more than 30 m apart (the volunteers service takes a report within 30 m
/// of an open one of its category as a "me too", not a report of its own).
/// </summary>
internal sealed class HazardSpacing
{
    private const double Apart = 31; // 30 m and the rounding of the coordinates to 6 decimals
    private readonly Dictionary<(string Category, int Row, int Column), List<GeoPoint>> _placed = [];

    /// <summary>Where the report goes: <paramref name="wanted"/>, or the first point 35 m steps north of it that is free.</summary>
    public GeoPoint Place(string category, GeoPoint wanted)
    {
        var at = new GeoPoint(Math.Round(wanted.Latitude, 6), Math.Round(wanted.Longitude, 6));
        while (TooClose(category, at))
        {
            var next = at.Offset(35, 0);
            at = new GeoPoint(Math.Round(next.Latitude, 6), Math.Round(next.Longitude, 6));
        }
        var cell = CellOf(category, at);
        if (!_placed.TryGetValue(cell, out var points))
        {
            _placed[cell] = points = [];
        }
        points.Add(at);
        return at;
    }

    private bool TooClose(string category, GeoPoint at)
    {
        var (_, row, column) = CellOf(category, at);
        for (var r = row - 1; r <= row + 1; r++)
        {
            for (var c = column - 1; c <= column + 1; c++)
            {
                if (_placed.TryGetValue((category, r, c), out var points) && points.Any(p => p.DistanceTo(at) <= Apart))
                {
                    return true;
                }
            }
        }
        return false;
    }

    // Cells of 0.001 degree (about 110 m north-south, 85 m east-west here): a point within 31 m is in a neighbouring one.
    private static (string, int, int) CellOf(string category, GeoPoint at) =>
        (category, (int)Math.Floor(at.Latitude * 1000), (int)Math.Floor(at.Longitude * 1000));
}

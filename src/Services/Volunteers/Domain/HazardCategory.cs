using Platform.ServiceDefaults.Http;

namespace Platform.Volunteers.Domain;

/// <summary>What a worker can report while riding: the Open311 "services" of this city.</summary>
public enum HazardCategory
{
    OpenGarbage,
    Clutter,
    IllegalConstruction,
    BrokenManholeCover,
    HangingCable,
    ElevatorFailure,
    Other,
}

/// <summary>The public description of each category (Open311 service list) and the department that fixes it by default.</summary>
public sealed record HazardCategoryInfo(HazardCategory Category, string Name, string Description, string Group, string[] Keywords, string DefaultDepartment)
{
    public string Code => KebabEnum.Name(Category);

    public static readonly IReadOnlyList<HazardCategoryInfo> All =
    [
        new(HazardCategory.OpenGarbage, "Open garbage", "Rubbish left in the open: overflowing bins, dumped bags, construction waste.", "Environment", ["garbage", "rubbish", "waste", "垃圾"], "urban-management"),
        new(HazardCategory.Clutter, "Clutter", "Things piled on pavements, stairwells or fire lanes that block the way.", "Environment", ["clutter", "obstruction", "杂物"], "urban-management"),
        new(HazardCategory.IllegalConstruction, "Illegal construction", "Building or extension work without a permit.", "Buildings", ["construction", "违建"], "urban-management"),
        new(HazardCategory.BrokenManholeCover, "Broken manhole cover", "A manhole cover missing, broken, sunk or loose: a danger to riders and pedestrians.", "Streets", ["manhole", "井盖"], "housing"),
        new(HazardCategory.HangingCable, "Hanging cable", "Power, telecom or other cables hanging low or fallen.", "Streets", ["cable", "wire", "线缆"], "power-supply"),
        new(HazardCategory.ElevatorFailure, "Elevator failure", "A lift that is stuck, stops between floors or runs with doors open.", "Buildings", ["elevator", "lift", "电梯"], "market-regulation"),
        new(HazardCategory.Other, "Other hazard", "Any other hazard or nuisance in public space.", "Other", ["other", "其他"], "urban-management"),
    ];

    public static HazardCategoryInfo Of(HazardCategory category) => All.First(c => c.Category == category);
}

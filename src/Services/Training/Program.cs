using Platform.Training.Data;
using Platform.ServiceDefaults.Communities;
using Platform.ServiceDefaults.Data;
using Platform.ServiceDefaults.Messaging;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddServiceDatabase<TrainingDb>("training-db");
builder.AddMessaging<TrainingDb>(bus => bus.AddCommunityDirectory<TrainingDb>("training"));

var app = builder.Build();

app.MapDefaultEndpoints();
app.MapCommunityDirectory();

app.Run();

/// <summary>Entry point, visible to the HTTP tests.</summary>
public partial class Program;
